package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.grid.GridConnection;
import dev.forge.grid.LocalCluster;
import io.modelcontextprotocol.client.McpSyncClient;
import io.nats.client.Connection;
import io.nats.client.NKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The grid ITs' common boot: three real nats-servers in one JetStream cluster that admits one
 * user NKey (its seed in a file, as an operator hands it out), and node processes, each joined
 * through its own server with that seed file. Every wait is bounded; no timing is asserted.
 */
final class GridProcesses implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(300);
    static final String MODEL = "stories260K";

    final LocalCluster cluster;
    final Path seed;
    final List<Member> members = new ArrayList<>();
    private final long began = System.nanoTime();

    /** One node process, its operator client and its grid id. */
    static final class Member {
        final Path data;
        final int server;
        final String models;
        NodeProcess process;
        URI address;
        McpSyncClient operator;
        String nodeId;

        Member(Path data, int server, String models) {
            this.data = data;
            this.server = server;
            this.models = models;
        }

        JsonNode call(String tool, Map<String, Object> args) {
            return NodeClients.answer(operator, tool, args);
        }

        JsonNode grid() {
            return call("network", Map.of()).path("grid");
        }

        /** The ledger's log size: its settled trades and settled work. */
        long logSize() {
            return call("network", Map.of()).path("trade_count").asLong();
        }

        /** A new agent on this node, its token. */
        String createAgent(String agent) throws Exception {
            return NodeClients.createAgent(address, Identities.operatorToken(data), agent);
        }

        @Override
        public String toString() {
            return data.getFileName() + " " + nodeId;
        }
    }

    private GridProcesses(LocalCluster cluster, Path seed) {
        this.cluster = cluster;
        this.seed = seed;
    }

    /** Three servers and {@code nodes} node processes serving the test model, started at once, each connected and its id read. */
    static GridProcesses start(Path dir, int nodes) throws Exception {
        return start(dir, java.util.Collections.nCopies(nodes, TestModel.folder().toString()));
    }

    /** As {@link #start(Path, int)}, a node per entry of {@code models}: what it serves, as {@code forge.models} takes it. */
    static GridProcesses start(Path dir, List<String> models) throws Exception {
        int nodes = models.size();
        NKey user = NKey.createUser(new SecureRandom());
        Path seed = dir.resolve("grid.seed");
        Files.createFile(seed, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(seed, new String(user.getSeed()) + "\n");
        var cluster = LocalCluster.start(dir.resolve("nats"), LocalCluster.freePorts(3), Optional.of(new String(user.getPublicKey())));
        var grid = new GridProcesses(cluster, seed);
        try {
            for (int i = 0; i < nodes; i++) grid.members.add(new Member(dir.resolve("node-" + (char) ('a' + i)), i % 3, models.get(i)));
            for (Member m : grid.members) grid.launch(m); // all start at once
            for (Member m : grid.members) grid.connect(m);
            for (Member m : grid.members) await(m.nodeId + " connected", () -> m.grid().path("connected").asBoolean(), m::grid);
            grid.say("three servers and " + nodes + " nodes joined");
            return grid;
        } catch (Exception | AssertionError e) {
            grid.close();
            throw e;
        }
    }

    /** A line on stderr with the seconds since the boot began: where a slow run spent its time. */
    void say(String what) {
        System.err.printf("grid-it +%d s: %s%n", Duration.ofNanos(System.nanoTime() - began).toSeconds(), what);
    }

    Member member(int index) {
        return members.get(index);
    }

    /** A jnats client of the test's own, admitted with the same seed file as the nodes. */
    Connection client(String name) throws Exception {
        return GridConnection.connect(cluster.urls(), name, Optional.of(seed));
    }

    void launch(Member m) throws Exception {
        // Each node joins through its own server; the stream is kept on all three.
        m.process = NodeProcess.start(m.data, m.models, 0, "-Xmx768m",
                "-Dforge.grid=" + cluster.urls().get(m.server), "-Dforge.grid.creds=" + seed, "-Dforge.grid.replicas=3");
    }

    /** A copy of the test model served under another name (a node serves a folder under its name). */
    static String modelNamed(Path dir, String name) throws java.io.IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        try (var files = Files.list(TestModel.folder())) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) Files.copy(file, target.resolve(file.getFileName().toString()));
            }
        }
        return target.toString();
    }

    /** SIGKILL: no clean stop, its offer is left to expire and its follower dies mid-stream. */
    static void kill(Member m) throws InterruptedException {
        m.process.process.destroyForcibly().waitFor();
    }

    /** Starts a killed node again on its folder: the same key, the same id. */
    void restart(Member m) throws Exception {
        relaunch(m);
        connect(m);
    }

    /** Starts a killed node's process again without waiting for it: {@link #connect} waits. */
    void relaunch(Member m) throws Exception {
        Files.deleteIfExists(m.data.resolve(StartupReport.ADDRESS_FILE)); // a killed node leaves its address behind
        launch(m);
    }

    void connect(Member m) throws Exception {
        m.address = URI.create(awaitAddress(m));
        if (m.operator != null) m.operator.close(); // its node was killed: nobody answers a graceful close
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

    /** Every member's network answer, by node id. */
    JsonNode views() {
        var all = NodeClients.JSON.createObjectNode();
        for (Member m : members) all.set(m.nodeId, m.call("network", Map.of()));
        return all;
    }

    /** Waits until every node holds every node's log at that node's ledger size, and all hold one grid root. */
    JsonNode awaitOneView(String what) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await(what, () -> agree(last[0] = views()), () -> last[0]);
        return last[0];
    }

    private boolean agree(JsonNode views) {
        Map<String, Long> sizes = new TreeMap<>();
        for (Member m : members) sizes.put(m.nodeId, views.path(m.nodeId).path("trade_count").asLong());
        String root = null;
        for (Member m : members) {
            JsonNode grid = views.path(m.nodeId).path("grid");
            Map<String, Long> applied = entriesByNode(grid);
            for (var size : sizes.entrySet()) {
                if (size.getValue() < 1 || !size.getValue().equals(applied.get(size.getKey()))) return false;
            }
            if (root != null && !root.equals(grid.path("grid_root").asText())) return false;
            root = grid.path("grid_root").asText();
        }
        return true;
    }

    /** Entries applied per node, as one node's {@code network.grid} reports them. */
    static Map<String, Long> entriesByNode(JsonNode grid) {
        Map<String, Long> applied = new TreeMap<>();
        for (JsonNode peer : grid.path("peers")) applied.put(peer.path("node").asText(), peer.path("entries").asLong());
        return applied;
    }

    /** Refusals counted by code, as one node's {@code network.grid} reports them. */
    static Map<String, Long> refusals(JsonNode grid) {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode r : grid.path("refusals")) counts.put(r.path("code").asText(), r.path("count").asLong());
        return counts;
    }

    static List<String> nodes(JsonNode offers) {
        List<String> out = new ArrayList<>();
        for (JsonNode o : offers) out.add(o.path("node").asText());
        return out;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds, at most {@link #WAIT}; the failure shows the last state. */
    static void await(String what, Condition condition, Supplier<JsonNode> state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) return;
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + "; last state " + state.get());
    }

    @Override
    public void close() throws Exception {
        for (Member m : members) {
            if (m.operator != null) m.operator.closeGracefully();
            if (m.process != null) m.process.close();
        }
        cluster.close();
    }
}
