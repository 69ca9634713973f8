package dev.forge.node.provide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.KeyProof;
import dev.forge.economy.work.WorkException;
import dev.forge.inference.Tier;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A provider process: at start it opens its folder (key, log, bodies), serves the bodies,
 * loads the model, registers its public key with the node and offers the model; then it polls
 * the node's open orders for its model and serves each one ({@link OrderService}), one status
 * line per order on {@code status}.
 */
public final class Provider implements AutoCloseable {
    /**
     * What {@code forge provide} was given.
     *
     * @param pricePerKiloToken µCU per 1,000 tokens
     * @param once serve one order, then stop
     * @param pollMillis how long to wait when no order is open
     * @param tiers the bounds its model's tier is read with
     */
    public record Settings(URI node, String token, Path model, Path folder, int port, long pricePerKiloToken, boolean once,
                           long pollMillis, Tier.Bounds tiers) {
        public Settings(URI node, String token, Path model, Path folder, int port, long pricePerKiloToken, boolean once,
                        long pollMillis) {
            this(node, token, model, folder, port, pricePerKiloToken, once, pollMillis, Tier.Bounds.DEFAULT);
        }
    }

    private static final int ORDERS_PER_POLL = 10;
    private final Settings settings;
    private final PrintStream status;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final OrderService orders;
    private final String account;
    private volatile boolean stopped;
    private String lastPollFailure;

    private Provider(Settings settings, PrintStream status, InstantSource clock) {
        this.settings = settings;
        this.status = status;
        try {
            Path folder = PrivateFiles.folder(settings.folder());
            Ed25519.KeyPair key = ProviderKey.openOrCreate(folder);
            var store = new BodyStore(folder.resolve("bodies"));
            var bodies = keep(BodyServer.start(store, settings.port()));
            var runner = keep(ChatRunner.load(settings.model(), folder.resolve("work"), settings.tiers()));
            var node = keep(new NodeLink(settings.node(), settings.token()));
            this.account = register(node, key, bodies.bodiesUrl());
            var log = AttestationLog.open(folder.resolve("log"), account, key, clock);
            bodies.serveLog(log);
            offer(node, runner);
            var attester = new Attester(account, key, runner.modelDigest(), runner.engine(), settings.pricePerKiloToken());
            this.orders = new OrderService(account, node, runner, attester, store, log, clock, status);
            say("serving " + runner.modelName() + " (" + HexFormat.of().formatHex(runner.modelDigest()).substring(0, 12)
                    + "…) as " + account + " at " + Cu.format(settings.pricePerKiloToken()) + " CU per 1,000 tokens, bodies at "
                    + bodies.bodiesUrl() + ", " + log.size() + " attestations in the log");
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open the provider folder " + settings.folder(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the folder, loads the model, registers and offers; throws a {@link ProviderException} when any fails. */
    public static Provider start(Settings settings, PrintStream status, InstantSource clock) {
        return new Provider(settings, status, clock);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Registers the key with its proof, over the agent id and node id that {@code balance} answers. */
    private static String register(NodeLink node, Ed25519.KeyPair key, URI bodiesUrl) {
        JsonNode self = node.call("balance", Map.of());
        byte[] proof = KeyProof.sign(key, self.path("account").asText(), self.path("node_audience").asText(), bodiesUrl.toString());
        JsonNode answer = node.call("register_key", Map.of("public_key", Base64.getEncoder().encodeToString(key.publicKey()),
                "bodies_url", bodiesUrl.toString(), "proof", Base64.getEncoder().encodeToString(proof)));
        String keyId = answer.path("key_id").asText();
        if (!keyId.equals(ProviderKey.keyId(key))) {
            throw new ProviderException("key_mismatch", "the node registered key " + keyId + ", not this folder's "
                    + ProviderKey.keyId(key));
        }
        return answer.path("account").asText();
    }

    private void offer(NodeLink node, ChatRunner runner) {
        node.call("offer", Map.of("model", runner.modelName(), "model_digest", HexFormat.of().formatHex(runner.modelDigest()),
                "tier", runner.tier().name().toLowerCase(Locale.ROOT), "price_per_1k_cu", Cu.format(settings.pricePerKiloToken()),
                "kinds", List.of("inference.chat.v1", "eval.v1")));
    }

    public String account() {
        return account;
    }

    /**
     * Serves orders until {@link #stop()} (or, with {@code once}, until one order was delivered).
     *
     * @return 0, or with {@code once} 1 when that delivery was refused
     */
    public int serve() throws InterruptedException {
        while (!stopped) {
            if (!orders.resolvePending()) {
                Thread.sleep(settings.pollMillis());
                continue;
            }
            List<OpenOrder> open = poll();
            boolean worked = false;
            for (OpenOrder order : open) {
                if (stopped) break;
                var outcome = orders.serve(order);
                worked |= outcome != OrderService.Outcome.SEEN;
                if (settings.once() && outcome.delivered()) return outcome == OrderService.Outcome.SETTLED ? 0 : 1;
            }
            if (!worked) Thread.sleep(settings.pollMillis());
        }
        return 0;
    }

    private List<OpenOrder> poll() {
        try {
            JsonNode answer = orders.node().call("open_orders", Map.of("model_digest",
                    HexFormat.of().formatHex(orders.runner().modelDigest()), "limit", ORDERS_PER_POLL));
            lastPollFailure = null;
            List<OpenOrder> open = new ArrayList<>();
            for (JsonNode entry : answer.path("orders")) {
                try {
                    open.add(OpenOrder.of(entry));
                } catch (WorkException | IllegalArgumentException e) {
                    orders.skipMalformed(entry.path("order_id").asLong(), e.getMessage());
                }
            }
            return open;
        } catch (ProviderException e) {
            String failure = e.code() + ": " + e.getMessage();
            if (!failure.equals(lastPollFailure)) say("open_orders failed: " + failure + " (retrying quietly)");
            lastPollFailure = failure;
            return List.of();
        }
    }

    public void stop() {
        stopped = true;
    }

    private void say(String line) {
        status.println("forge provide: " + line);
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                status.println("forge provide: closing " + resource.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
        resources.clear();
    }
}
