package dev.forge.node.cli;

import dev.forge.agent.Agent;
import dev.forge.agent.AgentException;
import dev.forge.agent.AgentSettings;
import dev.forge.agent.EconomicPlanner;
import dev.forge.agent.Earnings;
import dev.forge.agent.Guard;
import dev.forge.agent.Tasks;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.ModelDigest;
import dev.forge.node.provide.Provider;
import dev.forge.node.provide.ProviderException;
import dev.forge.node.provide.ProviderKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code forge agent}: one agent of agent-runtime, and, given {@code --model}, the provider
 * runtime selling that model in the same process with the same key ({@code provider.key} in the
 * agent's folder), so that what it earns pays for what it orders. Flags are read strictly; a
 * bad one is a {@link CliException} in one sentence.
 */
final class AgentCommand {
    /** What the flags say. */
    record Flags(String node, String token, Path tokenFile, String planner, Path model, Path folder, String tasks, String price,
                 String maxSpend, java.util.List<Path> orderModels) {
    }

    private static final long POLL_MILLIS = 500;

    private AgentCommand() {
    }

    static int run(Flags flags) throws InterruptedException {
        URI node = address(flags.node());
        String token = token(flags.token(), flags.tokenFile());
        if (!"rules".equals(flags.planner())) throw new CliException("--planner: only rules (the LLM planner is later work)");
        Path folder = flags.folder().toAbsolutePath();
        long maxSpend = cu("--max-spend", flags.maxSpend());
        var limits = new Guard.Limits(maxSpend, maxSpend / 5 * 4, maxSpend, 5, 400);
        Map<String, String> models = new java.util.TreeMap<>();
        if (flags.model() != null) models.put(modelName(flags.model()), HexFormat.of().formatHex(ModelDigest.of(flags.model())));
        if (flags.orderModels().size() > 8) throw new CliException("--order-model: at most 8 models");
        for (Path other : flags.orderModels()) {
            if (models.put(modelName(other), HexFormat.of().formatHex(ModelDigest.of(other))) != null) {
                throw new CliException("--order-model " + other + ": a model of that name is already given");
            }
        }
        var settings = new AgentSettings(node, token, folder, folder.resolve(ProviderKey.FILE), models, Tasks.mixed(count(flags.tasks())),
                new EconomicPlanner(), limits, 120_000, POLL_MILLIS, 250, 4_000, 300);
        try (Agent agent = Agent.open(settings, System.err, InstantSource.system())) {
            try (Earnings earnings = earnings(flags, node, token, folder)) {
                Runtime.getRuntime().addShutdownHook(new Thread(agent::stop));
                var result = agent.run(earnings);
                return result.stopped() && !result.why().equals("stopped by its owner") ? 1 : 0;
            }
        } catch (AgentException e) {
            throw new CliException(e.code() + ": " + e.getMessage());
        } catch (dev.forge.agent.Refusal e) {
            throw new CliException(e.code() + ": " + e.getMessage());
        } catch (ProviderException e) {
            throw new CliException(e.code() + ": " + e.getMessage());
        }
    }

    /** The provider runtime for {@code --model}, serving on its own thread; without a model the agent earns nothing. */
    private static Earnings earnings(Flags flags, URI node, String token, Path folder) {
        if (flags.model() == null) return Earnings.NONE;
        long price = cu("--price-per-1k", flags.price());
        var paid = new PaidLines(System.err);
        Provider provider = Provider.start(new Provider.Settings(node, token, flags.model(), folder, 0, price, false, POLL_MILLIS),
                paid.stream(), InstantSource.system());
        Thread serving = Thread.ofPlatform().name("forge-agent-provider").daemon().start(() -> {
            try {
                provider.serve();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return new Earnings() {
            @Override
            public long earned() {
                return paid.total();
            }

            @Override
            public void close() {
                provider.stop();
                try {
                    serving.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                provider.close();
            }
        };
    }

    /** The name the provider runtime offers a model folder under: the folder's name. */
    private static String modelName(Path model) {
        if (!Files.isDirectory(model)) throw new CliException("--model " + model + " is not a folder");
        return model.toAbsolutePath().normalize().getFileName().toString();
    }

    private static URI address(String text) {
        if (text == null) throw new CliException("agent needs --node URL (the node's address)");
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (java.net.URISyntaxException e) {
            // Said below.
        }
        throw new CliException("--node must be an http(s) address like http://127.0.0.1:3000, not '" + text + "'");
    }

    private static String token(String token, Path file) {
        if (token != null && file != null) throw new CliException("give the token once: --token or --token-file, not both");
        if (token != null) {
            if (token.isBlank()) throw new CliException("--token is empty");
            return token.strip();
        }
        if (file == null) throw new CliException("agent needs its token: --token-file FILE (or --token)");
        try {
            String text = Files.readString(file).strip();
            if (text.isEmpty()) throw new CliException("the token file " + file + " is empty");
            return text;
        } catch (IOException e) {
            throw new CliException("cannot read the token file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static int count(String text) {
        if (text.matches("[0-9]{1,4}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 1_000) return Integer.parseInt(text);
        throw new CliException("--tasks must be 1 to 1000, not '" + text + "'");
    }

    private static long cu(String flag, String text) {
        try {
            return Cu.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(flag + ": " + e.getMessage());
        }
    }
}
