package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.grid.GridConnection;
import dev.forge.grid.GridOffer;
import dev.forge.grid.GridOffers;
import dev.forge.grid.LocalCluster;
import dev.forge.grid.NodeIdentity;
import dev.forge.grid.RemoteRefusal;
import dev.forge.grid.RemoteWorkClient;
import dev.forge.grid.Vouch;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import io.modelcontextprotocol.client.McpSyncClient;
import io.nats.client.Connection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider node's side of remote work, on a real node process joined to a real
 * {@code nats-server}, with this test as the buyer's home node (its own grid key, its own NATS
 * connection): a vouched chat streams its pieces and is delivered with an attestation that
 * verifies under the key of the node's signed offer; the node's ledger books it as the peer
 * contract says ({@code peer:<home>} debited, below zero); the same vouch again is refused
 * {@code replayed}; the node's own chats keep working after it, and its grid store refuses nothing.
 */
class RemoteSellerIT {
    private static final Duration WAIT = Duration.ofSeconds(300);
    private static final String MODEL = "stories260K";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LocalCluster cluster;
    private NodeProcess node;
    private McpSyncClient operator;

    @Test
    void aVouchedChatIsServedStreamedAttestedAndBookedOnce(@TempDir Path dir) throws Exception {
        NodeProcess.requirePackaged();
        cluster = LocalCluster.start(dir.resolve("nats"), LocalCluster.freePorts(1), Optional.empty());
        Path data = dir.resolve("seller");
        node = NodeProcess.start(data, TestModel.folder().toString(), 0, "-Xmx768m",
                "-Dforge.grid=" + cluster.urls().getFirst(), "-Dforge.grid.replicas=1");
        URI address = URI.create(awaitAddress(data));
        operator = NodeClients.mcp(address, Identities.operatorToken(data), "remote-it");
        await("joined", () -> NodeClients.answer(operator, "network", Map.of()).path("grid").path("connected").asBoolean());
        String seller = NodeClients.answer(operator, "network", Map.of()).path("grid").path("node_id").asText();

        NodeIdentity home = NodeIdentity.generate();
        try (Connection connection = GridConnection.connect(cluster.urls(), "home")) {
            GridOffer offer = awaitOffer(connection, seller);
            Vouch vouch = vouch(home, seller);
            var pieces = new ArrayList<String>();
            var client = new RemoteWorkClient(connection);
            // The node may still be starting its server: nobody answering is safe to retry.
            RemoteWorkClient.Delivery delivery = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (delivery == null && System.nanoTime() < deadline) {
                try {
                    delivery = client.request(vouch, RemoteWorkClient.Timeouts.DEFAULT, new RemoteWorkClient.Listener() {
                        @Override
                        public void piece(String text) {
                            pieces.add(text);
                        }
                    }, () -> false);
                } catch (RemoteWorkClient.Failure failure) {
                    assertEquals(RemoteRefusal.NO_PROVIDER, failure.refusal(), failure.getMessage());
                }
            }
            assertTrue(delivery != null, "served within " + WAIT);
            assertFalse(pieces.isEmpty(), "the pieces streamed");
            assertEquals(String.join("", pieces), delivery.output());
            var attestation = delivery.attestation().attestation();
            assertTrue(delivery.attestation().verifies(Ed25519.PublicKey.decode(offer.nodeKey())),
                    "signed by the key of the node's offer");
            assertEquals("node", attestation.provider());
            assertTrue(attestation.amount() > 0 && attestation.amount() <= vouch.maxCost());

            Map<String, Long> balances = balances(address, Identities.operatorToken(data));
            assertEquals(-(attestation.amount()), balances.get("peer:" + home.id()), "what home owes the node, on the node");

            var again = assertThrows(RemoteWorkClient.Failure.class,
                    () -> client.request(vouch, RemoteWorkClient.Timeouts.DEFAULT, new RemoteWorkClient.Listener() {}, () -> false));
            assertEquals(RemoteRefusal.REPLAYED, again.refusal());
            assertFalse(again.streamed());

            // Home owes something already: an order that may cost the whole default credit line is over it.
            Vouch overTheLine = vouch(home, seller, dev.forge.node.grid.GridOptions.DEFAULT_PEER_CREDIT);
            var over = assertThrows(RemoteWorkClient.Failure.class,
                    () -> client.request(overTheLine, RemoteWorkClient.Timeouts.DEFAULT, new RemoteWorkClient.Listener() {}, () -> false));
            assertEquals(RemoteRefusal.CREDIT_EXCEEDED, over.refusal(), over.getMessage());
            assertTrue(over.retryable(), "another seller may still extend credit");
            assertEquals(balances, balances(address, Identities.operatorToken(data)), "a refused vouch changes nothing");
        }

        // The node's own chats follow the remote one in its provider log.
        String token = NodeClients.createAgent(address, Identities.operatorToken(data), "local");
        McpSyncClient agent = NodeClients.mcp(address, token, "local");
        try {
            JsonNode answer = NodeClients.answer(agent, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 8));
            assertTrue(answer.path("trade_id").asLong() > 0, answer.toString());
        } finally {
            agent.closeGracefully();
        }
        await("the node's grid store holds its whole log", () -> {
            JsonNode network = NodeClients.answer(operator, "network", Map.of());
            long size = network.path("trade_count").asLong();
            for (JsonNode peer : network.path("grid").path("peers")) {
                if (peer.path("node").asText().equals(seller)) return peer.path("entries").asLong() == size && size >= 2;
            }
            return false;
        });
        assertEquals(0, NodeClients.answer(operator, "network", Map.of()).path("grid").path("refusals").size());
    }

    /** A chat of "alice" on the home node, its order signed in custody by the home node's key, vouched for. */
    private static Vouch vouch(NodeIdentity home, String seller) {
        return vouch(home, seller, Cu.cost(10_000, 1_000_000)); // far more than stories260K costs: the price check is B's
    }

    private static Vouch vouch(NodeIdentity home, String seller, long maxCost) {
        var generation = new GenerationRequest(new Prompt.Text("Once upon a time"), 12, 0f, 0, List.of());
        ChatRequest chat = ChatRequests.of(MODEL, generation);
        byte[] input = chat.bytes();
        byte[] nonce = new byte[WorkOrder.NONCE_SIZE];
        new SecureRandom().nextBytes(nonce);
        long now = System.currentTimeMillis();
        var order = new WorkOrder("alice", "node", WorkKind.INFERENCE_CHAT, MODEL, ModelDigest.of(TestModel.folder()), "",
                Sha256.hash(input), chat.replay(), maxCost, 0, nonce, seller, now + 600_000, WorkOrder.Signer.CUSTODIAL);
        return Vouch.sign(home, seller, "alice", maxCost, now, now + 300_000, SignedWorkOrder.sign(order, home.key()), input);
    }

    private static GridOffer awaitOffer(Connection connection, String seller) throws Exception {
        var offers = new GridOffers(connection, InstantSource.system());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (GridOffer offer : offers.read().live()) if (offer.nodeId().equals(seller)) return offer;
            Thread.sleep(500);
        }
        throw new AssertionError("no offer of " + seller);
    }

    private static Map<String, Long> balances(URI node, String operatorToken) throws Exception {
        var request = HttpRequest.newBuilder(node.resolve("/v1/forge/accounts"))
                .header("Authorization", "Bearer " + operatorToken).GET().build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Long> out = new java.util.TreeMap<>();
        for (JsonNode account : NodeClients.JSON.readTree(response.body())) {
            out.put(account.path("account").asText(),
                    new java.math.BigDecimal(account.path("balance_cu").asText()).movePointRight(6).longValueExact());
        }
        return out;
    }

    private String awaitAddress(Path data) throws Exception {
        Path file = data.resolve(StartupReport.ADDRESS_FILE);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            if (!text.isEmpty()) return text;
            if (!node.process.isAlive()) throw new AssertionError("the node died: " + node.stderrText());
            Thread.sleep(200);
        }
        throw new AssertionError("no address: " + node.stderrText());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) return;
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + WAIT + ": " + what);
    }

    @AfterEach
    void stop() throws Exception {
        if (operator != null) operator.closeGracefully();
        if (node != null) node.close();
        if (cluster != null) cluster.close();
    }
}
