package dev.forge.node.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Authorization;
import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.grid.GridConnection;
import dev.forge.grid.GridPublisher;
import dev.forge.grid.NodeIdentity;
import dev.forge.grid.PeerStatement;
import dev.forge.node.ForgeNode;
import dev.forge.node.TestModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The node on a real nats-server, and another party on the same grid: its own ledger and node key,
 * publishing its log over its own connection. That log records that this node's agent bought from it
 * ({@code peer:<this node>} paid it), which this node's own log lacks: network shows the sums as both
 * logs record them and the disagreement, and the statement endpoint answers a signed statement saying
 * so, which verifies with nothing but its bytes.
 */
@QuarkusTest
@TestProfile(GridPeerTest.OnAGrid.class)
class GridPeerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(90);

    /** A profile of its own, so that this class gets a node of its own, joined to the server below. */
    public static class OnAGrid implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(NatsNode.class));
        }
    }

    /** One JetStream nats-server process and a fresh node folder that joins it. */
    public static class NatsNode implements QuarkusTestResourceLifecycleManager {
        static String url;
        private Process server;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory("forge-grid-peer-test");
                int client = freePort();
                int monitor = freePort();
                server = new ProcessBuilder("nats-server", "-js", "-a", "127.0.0.1", "-p", "" + client, "-m", "" + monitor,
                        "-sd", dir.resolve("nats").toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("nats.log").toFile()).start();
                awaitReady(monitor);
                url = "nats://127.0.0.1:" + client;
                return Map.of("forge.data", dir.resolve("node").toString(), "forge.models", TestModel.folder().toString(),
                        "forge.grid", url, "forge.grid.replicas", "1");
            } catch (Exception e) {
                throw new IllegalStateException("cannot start nats-server", e);
            }
        }

        private void awaitReady(int monitor) throws Exception {
            var http = HttpClient.newHttpClient();
            var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitor + "/healthz?js-enabled-only=true")).build();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!server.isAlive()) throw new IllegalStateException("nats-server exited");
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
                } catch (java.io.IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("nats-server not ready");
        }

        private static int freePort() throws java.io.IOException {
            try (var socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        @Override
        public void stop() {
            if (server != null) server.destroyForcibly();
        }
    }

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI root;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    JsonNode get(String token, String path, int status) throws Exception {
        var response = http.send(HttpRequest.newBuilder(root.resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void aPeersLogShowsInNetworkAndInASignedStatementThatVerifies() throws Exception {
        String agent = node.createAgent("grid-peer-agent");
        String self = NodeIdentity.idOf(node.identities().nodeKey().publicKey());
        var peer = NodeIdentity.generate();
        Path ledgerDir = Files.createTempDirectory("forge-grid-peer-ledger");
        try (Ledger ledger = Ledger.open(ledgerDir); var connection = GridConnection.connect(List.of(NatsNode.url), "peer")) {
            // The peer's books, per the contract: this node's agent bought 2.5 CU of work from it.
            ledger.openAccount(AccountSpec.provider("node", peer.publicKey()));
            ledger.openAccount(AccountSpec.agent("peer:" + self, node.identities().nodeKey().publicKey()));
            settle(ledger, "peer:" + self, node.identities().nodeKey(), "node", peer.key(), 2_500_000);
            awaitConnected(agent);
            new GridPublisher(connection, peer, ledger).publishPending();
            JsonNode row = awaitPeer(agent, peer.id());
            assertEquals("0.000000", row.get("owes_cu").asText(), row.toString());
            assertEquals("0.000000", row.get("owed_cu").asText());
            assertEquals("2.500000", row.get("peer_says_owes_cu").asText());
            assertEquals("0.000000", row.get("peer_says_owed_cu").asText());
            assertEquals("0.000000", row.get("net_cu").asText());
            assertFalse(row.get("agree").asBoolean(), "this node's log lacks the trade its peer's records");

            JsonNode answer = get(agent, "/v1/forge/grid/statement?peer=" + peer.id(), 200);
            PeerStatement statement = PeerStatement.decode(Base64.getDecoder().decode(answer.get("canonical").asText()));
            assertTrue(statement.verify(), "anyone can check it with its bytes alone");
            assertEquals(self, statement.issuer());
            assertEquals(peer.id(), statement.peer());
            assertEquals(new PeerStatement.Sums(0, 0), statement.issuerSays());
            assertEquals(new PeerStatement.Sums(2_500_000, 0), statement.peerSays());
            assertEquals(1, statement.peerLogSize());
            assertEquals(java.util.HexFormat.of().formatHex(ledger.merkleRoot()), answer.get("peer_log_root").asText());
            assertEquals("2.500000", answer.get("peer_says_owes_cu").asText());
            assertFalse(answer.get("agree").asBoolean());
            assertEquals(java.util.HexFormat.of().formatHex(statement.signature()), answer.get("signature").asText());

            assertEquals("invalid_argument", get(agent, "/v1/forge/grid/statement?peer=" + self, 400).get("error").asText());
            String stranger = NodeIdentity.generate().id();
            assertEquals("not_found", get(agent, "/v1/forge/grid/statement?peer=" + stranger, 404).get("error").asText());
        }
    }

    /** Waits (bounded) until the node has joined the grid. */
    void awaitConnected(String token) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!get(token, "/v1/forge/network", 200).path("grid").path("connected").asBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not connected to the grid in " + WAIT);
            Thread.sleep(200);
        }
    }

    /** Waits (bounded) until network's grid lists {@code peer} with its one entry applied. */
    JsonNode awaitPeer(String token, String peer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode grid = get(token, "/v1/forge/network", 200).path("grid");
            for (JsonNode row : grid.path("peers")) {
                if (row.get("node").asText().equals(peer) && row.get("entries").asLong() == 1) return row;
            }
            if (System.nanoTime() > deadline) throw new AssertionError(peer + " not applied in " + WAIT + ": " + grid);
            Thread.sleep(200);
        }
    }

    static void settle(Ledger ledger, String consumer, Ed25519.KeyPair consumerKey, String provider, Ed25519.KeyPair providerKey,
                       long amount) {
        long now = System.currentTimeMillis();
        var authorization = new Authorization(consumer, provider, "stories260K", amount * 2, Sha256.hashText("prompt"), 1,
                now + 600_000);
        byte[] consumerSignature = SignedTrade.authorize(authorization, consumerKey);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, consumerSignature), 12, 30, 1_000, amount,
                Sha256.hashText("output"), now);
        ledger.settle(SignedTrade.deliver(authorization, consumerSignature, delivery, providerKey), 0);
    }
}
