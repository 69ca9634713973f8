package dev.forge.node.demo;

import dev.forge.grid.LocalCluster;
import dev.forge.inference.TinyLlama;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code forge demo --grid}: the demo over three nodes, each joined to a local three-server NATS
 * cluster through its own server. Node a alone serves the large tier; b and c serve the tiny
 * one. The agents are placed so that trades cross nodes: the patron and the apprentice on b buy
 * the large tier from a, the frugal agent on a, refused the large tier by its budget, buys the
 * tiny one from b or c. At the end each node prints its books, its grid root and its sums with
 * every peer, once the three agree (bounded).
 */
final class GridDemo {
    /** Where each role runs: the index of its node. */
    private static final Map<String, Integer> PLACES = Map.of("provider", 0, "frugal", 0, "apprentice", 1, "patron", 1);
    private final DemoCommand demo;

    GridDemo(DemoCommand demo) {
        this.demo = demo;
    }

    int run(int rounds, Path folder, Path chartFile, Path trained) throws IOException, InterruptedException {
        long started = System.currentTimeMillis();
        Path large = TinyLlama.write(TinyLlama.LARGE, folder.resolve("models").resolve(DemoCommand.LARGE_MODEL));
        demo.describeTiers("forge demo --grid: three nodes on a local NATS cluster and four agents in " + folder, trained, large);
        Path chart = chartFile != null ? chartFile.toAbsolutePath() : folder.resolve("demo-chart.svg");
        demo.err.println("forge demo: starting three nats-servers in " + folder.resolve("grid"));
        try (var cluster = cluster(folder.resolve("grid"));
             var grid = GridNodes.start(folder, cluster.urls(), List.of(List.of(large), List.of(trained), List.of(trained)),
                     DemoCommand.TIERS, demo.err)) {
            grid.awaitOffers(trained.getFileName().toString(), DemoCommand.LARGE_MODEL);
            Map<String, String> models = Map.of(trained.getFileName().toString(), DemoCommand.digest(trained),
                    DemoCommand.LARGE_MODEL, DemoCommand.digest(large));
            return play(grid, rounds, started, folder, chart, DemoCommand.cast(trained, large), models);
        }
    }

    /** The three nats-servers; one that is missing or does not start is said in one sentence. */
    private static LocalCluster cluster(Path folder) throws IOException, InterruptedException {
        try {
            return LocalCluster.start(folder, LocalCluster.freePorts(3), Optional.empty());
        } catch (IllegalStateException e) {
            throw new DemoException(e.getMessage());
        }
    }

    private int play(GridNodes grid, int rounds, long started, Path folder, Path chart, List<Role> cast, Map<String, String> models)
            throws IOException, InterruptedException {
        var gate = new RoundGate();
        List<Party> parties = new ArrayList<>();
        var history = new Chart();
        long from = 0;
        try {
            for (Role role : cast) {
                GridNodes.Member home = grid.member(PLACES.get(role.name()));
                parties.add(new Party(home, demo.enter(home.api(), home.node(), role, folder, models, gate, rounds)));
            }
            for (Party p : parties) demo.out.println("  " + p.agent().role().name() + " (" + p.agent().keyAccount() + ") on node "
                    + p.home().name() + ": " + p.agent().role().means() + "; moved to its key account: " + p.agent().seeded());
            from = System.currentTimeMillis();
            history.add(books(parties, from));
            for (Party p : parties) p.agent().run(gate);
            Set<String> names = new LinkedHashSet<>(cast.stream().map(Role::name).toList());
            for (int round = 1; round <= rounds; round++) {
                gate.open(round);
                boolean ended = gate.awaitEnd(round, names, DemoCommand.ROUND_MILLIS);
                List<Books> books = books(parties, from);
                history.add(books);
                demo.progress(round, rounds, started, books, ended);
            }
        } finally {
            for (Party p : parties.reversed()) p.agent().close();
        }
        demo.err.println("forge demo: waiting for the three nodes to agree on the grid (at most " + GridNodes.AGREE_MILLIS / 1000 + " s)");
        boolean agreed = grid.awaitAgreement();
        List<Books> end = books(parties, from);
        for (GridNodes.Member m : grid.members()) report(grid, m, parties, end);
        history.write(chart, "forge demo --grid: " + rounds + " rounds, balances and loans per agent");
        demo.out.println();
        demo.out.println(agreed ? "grid: the three nodes hold one grid root and the same sums with every peer"
                : "grid: the nodes did NOT agree within " + GridNodes.AGREE_MILLIS / 1000 + " s (see each node's grid root and peers above)");
        demo.out.println("chart: " + chart);
        demo.out.println("journals, status logs, the ledgers and the NATS servers: " + folder);
        demo.out.println("done in " + (System.currentTimeMillis() - started) / 1000 + " s");
        return agreed ? 0 : 1;
    }

    /** One agent of the demo and the node it joined. */
    private record Party(GridNodes.Member home, DemoAgent agent) {
    }

    /** Every agent's books, each read from its own node, in the cast's order. */
    private static List<Books> books(List<Party> parties, long from) throws IOException, InterruptedException {
        List<Books> books = new ArrayList<>();
        for (Party p : parties) {
            books.addAll(DemoCommand.books(p.home().api(), List.of(p.agent()), from));
        }
        return books;
    }

    /** One node's part of the end: its agents' books, its Merkle root, its grid root and what it owes and is owed. */
    private void report(GridNodes grid, GridNodes.Member m, List<Party> parties, List<Books> end)
            throws IOException, InterruptedException {
        var network = m.api().get("/v1/forge/network");
        var view = network.path("grid");
        demo.out.println();
        demo.out.println("node " + m.name() + " (" + view.path("node_id").asText() + ", serves " + m.serves() + ", its page "
                + m.node().address() + "/)");
        List<Books> own = new ArrayList<>();
        for (int i = 0; i < parties.size(); i++) {
            if (parties.get(i).home() == m) own.add(end.get(i));
        }
        if (own.isEmpty()) demo.out.println("no agents: it sells its tier to the grid");
        else demo.table(own);
        demo.out.println("merkle root: " + network.path("merkle_root").asText() + " over " + network.path("trade_count").asLong()
                + " trades and settled work");
        demo.out.println("grid root: " + view.path("grid_root").asText());
        for (var peer : view.path("peers")) {
            if (peer.path("node").asText().equals(view.path("node_id").asText())) continue;
            String id = peer.path("node").asText();
            demo.out.println("  peer " + id + " (node " + grid.name(id) + "): this node owes " + peer.path("owes_cu").asText()
                    + " CU, is owed " + peer.path("owed_cu").asText() + " CU, " + (peer.path("agree").asBoolean() ? "both logs agree"
                    : "the logs DISAGREE") + " (" + peer.path("entries").asLong() + " of its entries applied here)");
        }
        int remote = own.stream().mapToInt(Books::remoteChats).sum();
        demo.out.println("chats of its agents served by another node: " + remote);
    }
}
