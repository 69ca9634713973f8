package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.WorkOrder;
import dev.forge.grid.GridConnection;
import dev.forge.grid.GridOffer;
import dev.forge.grid.GridOfferPublisher;
import dev.forge.grid.LocalCluster;
import dev.forge.grid.NodeIdentity;
import dev.forge.grid.RemoteWorkServer;
import dev.forge.grid.Vouch;
import dev.forge.grid.WorkFrame;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.nats.client.Connection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seller that lies, against a real buyer's node: the node process joined to a real
 * {@code nats-server}, and this test as another grid node with its own key, a signed offer of a
 * model the buyer's node lacks, and a server that answers vouches as it chooses. An honest
 * delivery is paid (so the set-up is right); a flood of pieces past what an answer may hold, an
 * attestation signed by another key, and an output other than the attested one are each refused
 * with their code, and the agent's balance is exactly what it was, nothing held.
 */
class HostileSellerIT {
    private static final String LURE = "lure260K";
    private static final byte[] LURE_DIGEST = Sha256.hashText("a model nobody can check");
    private static final long PRICE = 1_000_000;
    private static final String ANSWER = "Once upon a time there was a fox.";

    private LocalCluster cluster;
    private NodeProcess node;
    private McpSyncClient agent;
    private Connection hostile;
    private GridOfferPublisher offer;
    private RemoteWorkServer server;

    @Test
    void aSellerThatFloodsOrLiesIsNeverPaid(@TempDir Path dir) throws Exception {
        NodeProcess.requirePackaged();
        cluster = LocalCluster.start(dir.resolve("nats"), LocalCluster.freePorts(1), Optional.empty());
        Path data = dir.resolve("buyer");
        node = NodeProcess.start(data, GridProcesses.modelNamed(dir.resolve("models"), "own260K"), 0, "-Xmx768m",
                "-Dforge.grid=" + cluster.urls().getFirst(), "-Dforge.grid.replicas=1");
        URI address = URI.create(node.awaitAddress());
        McpSyncClient operator = NodeClients.mcp(address, Identities.operatorToken(data), "hostile-it");
        try {
            GridProcesses.await("the buyer's node joined", () -> NodeClients.answer(operator, "network", Map.of())
                    .path("grid").path("connected").asBoolean(), () -> NodeClients.answer(operator, "network", Map.of()));
        } finally {
            operator.closeGracefully();
        }
        agent = NodeClients.mcp(address, NodeClients.createAgent(address, Identities.operatorToken(data), "mark"), "mark");

        NodeIdentity seller = NodeIdentity.generate();
        var behaviour = new AtomicReference<Behaviour>(Behaviour.HONEST);
        hostile = GridConnection.connect(cluster.urls(), "hostile seller");
        offer = GridOfferPublisher.start(hostile, seller, Duration.ofSeconds(30), InstantSource.system(),
                now -> GridOffer.sign(seller, "http://127.0.0.1:1", List.of(new GridOffer.AccountKey("node", seller.publicKey())),
                        List.of(new GridOffer.Model(LURE, LURE_DIGEST, ModelTier.TINY, PRICE, 6_000)), 4, now, now + 30_000));
        server = new RemoteWorkServer(hostile, seller.id(), (vouch, replies) -> behaviour.get().answer(seller, vouch, replies), 4,
                InstantSource.system());
        server.start();
        hostile.flush(Duration.ofSeconds(5));
        GridProcesses.await("the buyer sees the lure", () -> GridProcesses.nodes(offers()).contains(seller.id()), this::offers);

        long start = micro(balance().path("balance_cu"));
        JsonNode paid = NodeClients.answer(agent, "chat", Map.of("model", LURE, "prompt", "Once upon a time", "max_tokens", 8));
        assertEquals(seller.id(), paid.path("served_by").asText(), paid.toString());
        assertEquals(ANSWER, paid.path("text").asText());
        long cost = micro(paid.path("cost_cu"));
        assertEquals(Cu.cost(8, PRICE), cost, "the attested amount, no more");
        assertEquals(start - cost, micro(balance().path("balance_cu")), "an honest delivery is paid");

        for (var lie : List.of(Behaviour.FLOOD, Behaviour.FORGED, Behaviour.ALTERED)) {
            behaviour.set(lie);
            JsonNode before = balance();
            var result = agent.callTool(new McpSchema.CallToolRequest("chat",
                    Map.of("model", LURE, "prompt", "Once upon a time", "max_tokens", 8)));
            JsonNode refusal = NodeClients.JSON.valueToTree(result.structuredContent());
            assertTrue(Boolean.TRUE.equals(result.isError()), lie + " was paid: " + refusal);
            assertEquals(lie.code, refusal.path("error").asText(), lie + ": " + refusal);
            assertEquals(before, balance(), lie + " changed the agent's balance or left a hold");
        }
    }

    /** How the test's seller answers a vouch. */
    private enum Behaviour {
        HONEST(""), FLOOD("provider_failed"), FORGED("delivery_refused"), ALTERED("delivery_refused");

        final String code;

        Behaviour(String code) {
            this.code = code;
        }

        void answer(NodeIdentity seller, Vouch vouch, RemoteWorkServer.Replies replies) {
            switch (this) {
                case HONEST -> deliver(replies, vouch, seller.key(), ANSWER, ANSWER);
                case FLOOD -> {
                    String piece = "x".repeat(WorkFrame.MAX_PIECE_BYTES);
                    for (int i = 0; i * WorkFrame.MAX_PIECE_BYTES <= 2 * WorkFrame.MAX_OUTPUT_BYTES && !replies.cancelled(); i++) {
                        replies.piece(piece);
                    }
                }
                case FORGED -> deliver(replies, vouch, Ed25519.generate(), ANSWER, ANSWER);
                case ALTERED -> deliver(replies, vouch, seller.key(), ANSWER, "Once upon a time there was a wolf.");
            }
        }

        /** Streams {@code output} and delivers it with an attestation of {@code attested}, signed by {@code key}. */
        private static void deliver(RemoteWorkServer.Replies replies, Vouch vouch, Ed25519.KeyPair key, String attested,
                                    String output) {
            WorkOrder order = vouch.order().order();
            long now = System.currentTimeMillis();
            var attestation = new Attestation(vouch.orderDigest(), "node", order.modelDigest(),
                    new Engine("jlama", "0.8.4", "panama", "F32", "0.1.0", "test"), order.replay(), order.inputDigest(),
                    Sha256.hash(attested.getBytes(StandardCharsets.UTF_8)), 5, 3, "stop", PRICE, Cu.cost(8, PRICE), now - 5, now,
                    0, dev.forge.economy.work.WorkVerifier.ChainTip.empty().lastDigest());
            replies.piece(output);
            replies.delivered(SignedAttestation.sign(attestation, key), output);
        }
    }

    private JsonNode offers() {
        return NodeClients.answer(agent, "providers", Map.of("model", LURE)).path("remote");
    }

    private JsonNode balance() {
        return NodeClients.answer(agent, "balance", Map.of());
    }

    private static long micro(JsonNode cu) {
        return Cu.parse(cu.asText());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (offer != null) offer.close();
        if (hostile != null) hostile.close();
        if (agent != null) agent.closeGracefully();
        if (node != null) node.close();
        if (cluster != null) cluster.close();
    }
}
