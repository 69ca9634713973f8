package dev.forge.node.demo;

import dev.forge.agent.Agent;
import dev.forge.agent.AgentSettings;
import dev.forge.agent.Earnings;
import dev.forge.agent.Guard;
import dev.forge.agent.NodeTools;
import dev.forge.agent.Planner;
import dev.forge.agent.Refusal;
import dev.forge.economy.market.Cu;
import dev.forge.inference.Tier;
import dev.forge.node.cli.PaidLines;
import dev.forge.node.provide.Provider;
import dev.forge.node.provide.ProviderKey;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/**
 * One party of the demo in this process, as {@code forge agent} runs one: the agent-runtime's
 * {@link Agent} with its own token and key (its folder's {@code provider.key}), and, when its role
 * sells a model, the provider runtime serving work orders with the same key, as {@code forge
 * provide} does. A pure provider has no agent. Status lines go to {@code status.log} in its folder.
 */
final class DemoAgent implements AutoCloseable {
    private static final long POLL_MILLIS = 100;
    private final Role role;
    private final PrintStream log;
    private final Agent agent;
    private final Provider provider;
    private final Thread serving;
    private final String keyAccount;
    private final String seeded;
    private final PaidLines paid;
    private Thread running;

    private DemoAgent(Role role, PrintStream log, Agent agent, Provider provider, Thread serving, PaidLines paid, String seeded) {
        this.role = role;
        this.log = log;
        this.agent = agent;
        this.provider = provider;
        this.serving = serving;
        this.paid = paid;
        this.keyAccount = agent != null ? agent.account() : provider.account();
        this.seeded = seeded;
    }

    /** Registers its key, starts its provider runtime, and moves its seed to its key account. */
    static DemoAgent start(Role role, URI node, String token, Path folder, Map<String, String> models, Tier.Bounds tiers,
                           Planner planner, int rounds) throws FileNotFoundException {
        PrintStream log = new PrintStream(new FileOutputStream(folder.resolve("status.log").toFile(), true), true, StandardCharsets.UTF_8);
        Agent agent = null;
        Provider provider = null;
        try {
            if (role.orders()) {
                long ceiling = role.maxSpend();
                var settings = new AgentSettings(node, token, folder, folder.resolve(ProviderKey.FILE), models, role.tasks(rounds),
                        planner, new Guard.Limits(ceiling, ceiling / 5 * 4, ceiling, 5, 400), 20_000, POLL_MILLIS, 100, 400, 10_000);
                agent = Agent.open(settings, log, InstantSource.system()); // registers the key before the provider adds its bodies
            }
            PaidLines paid = new PaidLines(log);
            Thread serving = null;
            if (role.model() != null) {
                provider = Provider.start(new Provider.Settings(node, token, role.model(), folder, 0, role.price(), false, POLL_MILLIS,
                        tiers), paid.stream(), InstantSource.system());
                Provider serve = provider;
                serving = Thread.ofPlatform().name("forge-demo-provider-" + role.name()).daemon().start(() -> {
                    try {
                        serve.serve();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            String seeded = seed(role, node, token);
            return new DemoAgent(role, log, agent, provider, serving, paid, seeded);
        } catch (RuntimeException e) {
            if (provider != null) provider.close();
            if (agent != null) agent.close();
            log.close();
            throw e;
        }
    }

    /** The seed moved with the agent's own move_funds call; a node without the tool says so, and the agent starts with none. */
    private static String seed(Role role, URI node, String token) {
        if (role.seed() == 0) return "0";
        try (var tools = new NodeTools(node, token)) {
            var moved = tools.call("move_funds", Map.of("amount_cu", Cu.format(role.seed()), "from", "account"));
            return moved.path("moved_cu").asText(Cu.format(role.seed()));
        } catch (Refusal r) {
            return "not moved (" + r.code() + ": " + r.getMessage() + ")";
        }
    }

    Role role() {
        return role;
    }

    String keyAccount() {
        return keyAccount;
    }

    /** What its seed call answered: the CU moved, or why none was. */
    String seeded() {
        return seeded;
    }

    /** Runs its tasks on its own thread; {@code gate} learns when it ends. */
    void run(RoundGate gate) {
        if (agent == null) {
            gate.ended(role.name());
            return;
        }
        long seed = seeded.matches("[0-9]+\\.[0-9]{6}") ? Cu.parse(seeded) : 0;
        Earnings earnings = () -> seed + paid.total(); // the seed and what its deliveries were paid: what its key account received
        running = Thread.ofPlatform().name("forge-demo-agent-" + role.name()).start(() -> {
            try {
                agent.run(earnings);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.println("forge demo: " + role.name() + " stopped: " + e);
                e.printStackTrace(log);
            } finally {
                gate.ended(role.name());
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        if (agent != null) agent.stop();
        if (running != null) {
            running.interrupt();
            running.join(30_000);
        }
        if (provider != null) {
            provider.stop();
            serving.join(30_000);
            provider.close();
        }
        if (agent != null) agent.close();
        log.close();
    }
}
