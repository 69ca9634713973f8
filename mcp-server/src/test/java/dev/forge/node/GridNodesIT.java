package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.work.ModelDigest;
import dev.forge.grid.LocalCluster;
import io.modelcontextprotocol.client.McpSyncClient;
import io.nats.client.NKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nats-servers in one JetStream cluster that admits only one user NKey, and three
 * real nodes as separate processes, each joined through another server with the seed file
 * ({@code forge.grid}, {@code forge.grid.creds}): node B's signed offer is listed as remote by
 * providers on A and C and by route; a chat on each node lands in every node's grid store; all
 * three report the same grid root and every node's log at its ledger's size; a node killed
 * with SIGKILL and started again on its folder catches up, and nothing is refused anywhere.
 * Every wait is bounded; no timing is asserted.
 */
class GridNodesIT {
    private static final Duration WAIT = Duration.ofSeconds(300);
    private static final String MODEL = "stories260K";

    private LocalCluster cluster;
    private final List<Member> members = new ArrayList<>();

    /** One node process, its operator client and its grid id. */
    private static final class Member {
        final Path data;
        NodeProcess process;
        URI address;
        McpSyncClient operator;
        String nodeId;

        Member(Path data) {
            this.data = data;
        }

        JsonNode call(String tool, Map<String, Object> args) {
            return NodeClients.answer(operator, tool, args);
        }

        JsonNode grid() {
            return call("network", Map.of()).path("grid");
        }
    }

    @Test
    void threeNodesShareOffersTradesAndOneRootAndAKilledNodeCatchesUp(@TempDir Path dir) throws Exception {
        NodeProcess.requirePackaged();
        NKey user = NKey.createUser(new SecureRandom());
        Path seed = dir.resolve("grid.seed");
        Files.createFile(seed, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(seed, new String(user.getSeed()) + "\n");
        cluster = LocalCluster.start(dir.resolve("nats"), LocalCluster.freePorts(3), Optional.of(new String(user.getPublicKey())));
        for (int i = 0; i < 3; i++) members.add(new Member(dir.resolve("node-" + "abc".charAt(i))));
        for (int i = 0; i < 3; i++) launch(members.get(i), i, seed); // all three start at once
        for (Member m : members) connect(m);
        Member a = members.get(0), b = members.get(1), c = members.get(2);

        for (Member m : members) await(m.nodeId + " connected", () -> m.grid().path("connected").asBoolean(), m::grid);
        for (Member viewer : List.of(a, c)) checkRemoteOffer(viewer, b);
        JsonNode routed = a.call("route", Map.of("model", MODEL));
        assertEquals("node", routed.path("provider").asText(), "the chat itself is still served here: " + routed);
        assertTrue(nodes(routed.path("remote")).contains(b.nodeId), "route lists B's live offer: " + routed);

        for (Member m : members) chat(m, "first-" + m.data.getFileName());
        awaitOneView("a chat on each node");

        // SIGKILL: no clean stop, its offer is left to expire and its follower dies mid-stream.
        long before = c.grid().path("applied_sequence").asLong();
        c.process.process.destroyForcibly().waitFor();
        chat(a, "second-" + a.data.getFileName());
        chat(b, "second-" + b.data.getFileName());
        Files.delete(c.data.resolve(StartupReport.ADDRESS_FILE)); // a killed node leaves its address behind
        launch(c, 2, seed);
        connect(c);
        assertTrue(c.grid().path("applied_sequence").asLong() >= before, "C resumed from its stored sequence");
        awaitOneView("C caught up after its restart");
        for (Member m : members) {
            assertEquals(0, m.grid().path("refusals").size(), m.nodeId + " refused nothing: " + m.grid());
        }
    }

    private void launch(Member m, int server, Path seed) throws Exception {
        // Each node joins through its own server; the stream is kept on all three.
        m.process = NodeProcess.start(m.data, TestModel.folder().toString(), 0, "-Xmx768m",
                "-Dforge.grid=" + cluster.urls().get(server), "-Dforge.grid.creds=" + seed, "-Dforge.grid.replicas=3");
    }

    private void connect(Member m) throws Exception {
        String address = awaitAddress(m);
        m.address = URI.create(address);
        if (m.operator != null) m.operator.closeGracefully();
        m.operator = NodeClients.mcp(m.address, Identities.operatorToken(m.data), "grid-it");
        String id = m.grid().path("node_id").asText();
        assertTrue(id.matches("node-[0-9a-f]{40}"), "a grid id named by the node key: " + id);
        if (m.nodeId != null) assertEquals(m.nodeId, id, "the same key, the same id after a restart");
        m.nodeId = id;
    }

    /**
     * The address the node wrote once it listens. Three nodes start at once on a loaded machine, so
     * this waits longer than NodeProcess does (and for the line, not only the file).
     */
    private static String awaitAddress(Member m) throws Exception {
        Path file = m.data.resolve(StartupReport.ADDRESS_FILE);
        long deadline = System.nanoTime() + Duration.ofSeconds(400).toNanos();
        while (System.nanoTime() < deadline) {
            String address = Files.exists(file) ? Files.readString(file).strip() : "";
            if (!address.isEmpty()) return address;
            if (!m.process.process.isAlive()) throw new AssertionError("the node died: " + m.process.stderrText());
            Thread.sleep(200);
        }
        throw new AssertionError("no " + file + " within 400 s: " + m.process.stderrText());
    }

    /** B's offer as another node lists it: remote, on B, at B's endpoint, with the model folder's digest and the prior rate. */
    private void checkRemoteOffer(Member viewer, Member seller) throws Exception {
        Supplier<JsonNode> providers = () -> viewer.call("providers", Map.of("model", MODEL));
        await(viewer.nodeId + " lists " + seller.nodeId, () -> nodes(providers.get().path("remote")).contains(seller.nodeId),
                providers);
        JsonNode offer = null;
        for (JsonNode o : providers.get().path("remote")) if (o.path("node").asText().equals(seller.nodeId)) offer = o;
        assertTrue(offer.path("remote").asBoolean(), offer.toString());
        assertEquals(MODEL, offer.path("model").asText());
        assertEquals("node", offer.path("provider").asText());
        assertEquals(HexFormat.of().formatHex(ModelDigest.of(TestModel.folder())), offer.path("model_digest").asText());
        assertEquals(seller.address + "/mcp", offer.path("endpoint").asText(), offer.toString());
        assertEquals("0.5", offer.path("verification_rate").asText(), "no chains of B checked here: the prior");
        assertTrue(!nodes(providers.get().path("remote")).contains(viewer.nodeId), "a node does not list itself as remote");
    }

    /** A new agent on the node pays for one chat there. */
    private static void chat(Member m, String agent) throws Exception {
        String token = NodeClients.createAgent(m.address, Identities.operatorToken(m.data), agent);
        McpSyncClient client = NodeClients.mcp(m.address, token, agent);
        try {
            JsonNode answer = NodeClients.answer(client, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 8));
            assertTrue(answer.path("trade_id").asLong() > 0, answer.toString());
        } finally {
            client.closeGracefully();
        }
    }

    /** Every node holds every node's log at that node's ledger size, and all hold one grid root. */
    private void awaitOneView(String what) throws Exception {
        Supplier<JsonNode> views = () -> {
            var all = NodeClients.JSON.createObjectNode();
            for (Member m : members) all.set(m.nodeId, m.call("network", Map.of()));
            return all;
        };
        await(what, () -> agree(views.get()), views);
    }

    private boolean agree(JsonNode views) {
        Map<String, Long> sizes = new TreeMap<>();
        for (Member m : members) sizes.put(m.nodeId, views.path(m.nodeId).path("trade_count").asLong());
        String root = null;
        for (Member m : members) {
            JsonNode grid = views.path(m.nodeId).path("grid");
            Map<String, Long> applied = new TreeMap<>();
            for (JsonNode peer : grid.path("peers")) applied.put(peer.path("node").asText(), peer.path("entries").asLong());
            for (var size : sizes.entrySet()) {
                if (size.getValue() < 1 || !size.getValue().equals(applied.get(size.getKey()))) return false;
            }
            if (root != null && !root.equals(grid.path("grid_root").asText())) return false;
            root = grid.path("grid_root").asText();
        }
        return true;
    }

    private static List<String> nodes(JsonNode offers) {
        List<String> out = new ArrayList<>();
        for (JsonNode o : offers) out.add(o.path("node").asText());
        return out;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds, at most {@link #WAIT}; the failure shows the last state. */
    private static void await(String what, Condition condition, Supplier<JsonNode> state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) return;
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + "; last state " + state.get());
    }

    @AfterEach
    void stop() throws Exception {
        for (Member m : members) {
            if (m.operator != null) m.operator.closeGracefully();
            if (m.process != null) m.process.close();
        }
        if (cluster != null) cluster.close();
    }
}
