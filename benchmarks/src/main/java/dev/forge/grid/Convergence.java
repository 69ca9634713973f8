package dev.forge.grid;

import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Time for N applier processes to converge after a burst: three ledgers, filled beforehand,
 * publish K entries between them at once (each over its own connection, one acknowledged
 * publish at a time, as {@link GridPublisher} does) to a 3-server cluster with 3 replicas;
 * N {@link ApplierMain} processes, each with its own JVM, MapDB folder and connection, are
 * caught up with the empty stream before the burst. The clock runs from the first publish
 * until every applier's state file shows the grid root computed from the ledgers alone. An
 * applier writes its state every 200 ms, which bounds the resolution.
 */
final class Convergence {
    private static final int LEDGERS = 3;
    private static final Duration BOUND = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 20;

    private Convergence() {}

    static void run(int entries, List<Integer> applierCounts) throws Exception {
        Path folder = GridBench.temporaryFolder("forge-bench-converge");
        try (LocalCluster cluster = LocalCluster.start(folder.resolve("nats"), LocalCluster.freePorts(3), Optional.empty());
             Connection admin = GridConnection.connect(cluster.urls(), "bench admin")) {
            Double baseline = null;
            System.out.println("| N appliers | K entries | burst published, ms | first applier, ms | all N converged, ms | vs the first row |");
            for (int n : applierCounts) {
                Result result = once(cluster, admin, folder.resolve("run-" + n), entries, n);
                if (baseline == null) baseline = (double) result.all();
                System.out.printf("| %d | %d | %d | %d | %d | %.2f |%n", n, entries, result.published() / 1_000_000,
                        result.first() / 1_000_000, result.all() / 1_000_000, result.all() / baseline);
            }
        } finally {
            GridBench.deleteQuietly(folder);
        }
    }

    /** Nanoseconds from the first publish: the last acknowledgement, the first and the last applier at the root. */
    private record Result(long published, long first, long all) {}

    private static Result once(LocalCluster cluster, Connection admin, Path folder, int entries, int appliers) throws Exception {
        GridBench.freshStream(admin, 3);
        List<LedgerNode> nodes = GridBench.ledgers(folder, LEDGERS, entries / LEDGERS);
        String expected = "root " + HexFormat.of().formatHex(GridBench.expectedRoot(nodes)) + "\n";
        List<ApplierProcess> processes = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < appliers; i++) processes.add(new ApplierProcess(folder.resolve("applier-" + i), rotated(cluster.urls(), i)));
            for (ApplierProcess process : processes) process.await(state -> state.contains("sequence 0\n"), BOUND);
            for (int i = 0; i < nodes.size(); i++) connections.add(GridConnection.connect(rotated(cluster.urls(), i), "ledger " + i));
            long start = System.nanoTime();
            List<CompletableFuture<Long>> bursts = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                var publisher = new GridPublisher(connections.get(i), nodes.get(i).identity, nodes.get(i).ledger);
                bursts.add(CompletableFuture.supplyAsync(() -> publish(publisher)));
            }
            long[] reached = awaitRoot(processes, expected, start);
            long published = 0;
            for (CompletableFuture<Long> burst : bursts) published = Math.max(published, burst.join() - start);
            long first = Long.MAX_VALUE;
            long all = 0;
            for (long time : reached) {
                first = Math.min(first, time);
                all = Math.max(all, time);
            }
            return new Result(published, first, all);
        } finally {
            for (ApplierProcess process : processes) process.close();
            for (Connection connection : connections) connection.close();
            for (LedgerNode node : nodes) node.close();
        }
    }

    /** Publishes the ledger's whole log; returns when its last entry was acknowledged. */
    private static long publish(GridPublisher publisher) {
        try {
            publisher.publishPending();
            return System.nanoTime();
        } catch (Exception e) {
            throw new IllegalStateException("the burst failed", e);
        }
    }

    /** Nanoseconds from {@code start} until each applier first showed {@code expected}. */
    private static long[] awaitRoot(List<ApplierProcess> processes, String expected, long start) throws InterruptedException {
        long[] reached = new long[processes.size()];
        int left = processes.size();
        long deadline = start + BOUND.toNanos();
        while (left > 0) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(left + " appliers did not converge in " + BOUND);
            for (int i = 0; i < processes.size(); i++) {
                if (reached[i] == 0 && processes.get(i).summary().startsWith(expected)) {
                    reached[i] = System.nanoTime() - start;
                    left--;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        return reached;
    }

    /** The servers starting from a different one for each client, so connections spread over the cluster. */
    private static List<String> rotated(List<String> urls, int by) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) out.add(urls.get((i + by) % urls.size()));
        return out;
    }
}
