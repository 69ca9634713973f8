package dev.forge.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.inference.Tier;
import dev.forge.node.cli.NodeClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The grid demo's three node processes, node i joined through the cluster's server i (as
 * {@code ./forge node --grid} joins), and the bounded waits on what their own answers say: every
 * node connected and seeing the offers the demo's trades need, then one grid root everywhere.
 */
final class GridNodes implements AutoCloseable {
    static final long START_MILLIS = 300_000;
    static final long AGREE_MILLIS = 180_000;
    private static final long LOOK_MILLIS = 500;
    private final List<Member> members;
    private final PrintStream err;

    /** One node: its name (a, b, c), the models it serves, its process and its operator's client. */
    record Member(String name, String serves, DemoNode node, NodeClient api) {
        JsonNode grid() throws IOException, InterruptedException {
            return api.get("/v1/forge/network").path("grid");
        }
    }

    private GridNodes(List<Member> members, PrintStream err) {
        this.members = members;
        this.err = err;
    }

    /** Starts a node per entry of {@code models} at once, with its data in {@code folder/node-NAME}, and waits for each to listen. */
    static GridNodes start(Path folder, List<String> urls, List<List<Path>> models, Tier.Bounds tiers, PrintStream err)
            throws IOException, InterruptedException {
        List<DemoNode.Launched> launched = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < models.size(); i++) {
                String name = String.valueOf((char) ('a' + i));
                err.println("forge demo: starting node " + name + " in " + folder.resolve("node-" + name) + " (log: "
                        + folder.resolve("node-" + name + ".log") + "), joined through " + urls.get(i));
                launched.add(DemoNode.launch(folder.resolve("node-" + name), folder.resolve("node-" + name + ".log"), models.get(i),
                        List.of("-Xmx768m", "-Dforge.grid=" + urls.get(i), "-Dforge.grid.replicas=3", bounds(tiers))));
            }
            for (int i = 0; i < launched.size(); i++) {
                DemoNode node = launched.get(i).awaitStarted();
                String serves = String.join(", ", models.get(i).stream().map(p -> p.getFileName().toString()).toList());
                members.add(new Member(String.valueOf((char) ('a' + i)), serves, node, new NodeClient(node.address(), node.operatorToken())));
            }
            return new GridNodes(members, err);
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (DemoNode.Launched l : launched) l.process().destroyForcibly();
            throw e;
        }
    }

    /** The node's tier bounds: its offers on the grid name the tier the agents plan with, as the demo's providers do. */
    private static String bounds(Tier.Bounds tiers) {
        return "-D" + Tier.Bounds.PROPERTY + "=" + tiers.small() + "," + tiers.medium() + "," + tiers.large();
    }

    List<Member> members() {
        return members;
    }

    Member member(int index) {
        return members.get(index);
    }

    /** The demo's name of a node id (a, b, c), or "?" for a node outside the demo. */
    String name(String nodeId) throws IOException, InterruptedException {
        for (Member m : members) {
            if (m.grid().path("node_id").asText().equals(nodeId)) return m.name();
        }
        return "?";
    }

    /**
     * Waits until every node is connected and lists every other node's live offer of the models it lacks: without that,
     * the agents' first looks would see no remote offer.
     */
    void awaitOffers(String... models) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_MILLIS;
        while (!offersSeen(models)) {
            if (System.currentTimeMillis() > deadline) {
                throw new DemoException("the nodes did not see each other's offers within " + START_MILLIS / 1000 + " s; their logs: "
                        + "node-a.log, node-b.log, node-c.log in the demo's folder");
            }
            Thread.sleep(LOOK_MILLIS);
        }
        err.println("forge demo: the three nodes joined the grid and list each other's offers");
    }

    private boolean offersSeen(String... models) throws IOException, InterruptedException {
        for (Member m : members) {
            if (!m.grid().path("connected").asBoolean(false)) return false;
            for (String model : models) {
                JsonNode answer = m.api().get("/v1/forge/providers?model=" + NodeClient.query(model));
                boolean servedHere = false;
                for (JsonNode p : answer.path("providers")) servedHere |= p.path("provider").asText().equals("node");
                Set<String> sellers = new HashSet<>();
                for (JsonNode r : answer.path("remote")) sellers.add(r.path("node").asText());
                long others = members.stream().filter(o -> o != m && o.serves().contains(model)).count();
                if (!servedHere && sellers.size() < others) return false;
            }
        }
        return true;
    }

    /**
     * Waits, at most {@link #AGREE_MILLIS}, until every node applied every node's log up to that node's ledger size, all
     * hold one grid root, and every two agree on what they owe each other; false if they did not.
     */
    boolean awaitAgreement() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + AGREE_MILLIS;
        while (!agree()) {
            if (System.currentTimeMillis() > deadline) return false;
            Thread.sleep(LOOK_MILLIS);
        }
        return true;
    }

    private boolean agree() throws IOException, InterruptedException {
        List<JsonNode> views = new ArrayList<>();
        for (Member m : members) views.add(m.api().get("/v1/forge/network"));
        Set<String> roots = new HashSet<>();
        for (JsonNode view : views) {
            roots.add(view.path("grid").path("grid_root").asText());
            for (JsonNode other : views) {
                if (applied(view.path("grid"), other.path("grid").path("node_id").asText()) != other.path("trade_count").asLong()) {
                    return false;
                }
            }
            for (JsonNode peer : view.path("grid").path("peers")) {
                if (!peer.path("agree").asBoolean(false)) return false;
            }
        }
        return roots.size() == 1;
    }

    /** Entries of {@code nodeId}'s log that the node of {@code grid} applied. */
    private static long applied(JsonNode grid, String nodeId) {
        for (JsonNode peer : grid.path("peers")) {
            if (peer.path("node").asText().equals(nodeId)) return peer.path("entries").asLong();
        }
        return 0;
    }

    @Override
    public void close() throws InterruptedException {
        for (Member m : members.reversed()) m.node().close();
    }
}
