package dev.forge.grid;

import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.Message;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Entries applied per second by one {@link GridApplier} reading a real stream on a real
 * nats-server, against two baselines read from the same stream in the same run: the stream
 * alone (read every message, do nothing) and the checks alone (decode and verify every
 * signature, no store). Each pass reads the whole stream with an ordered consumer from
 * sequence 1, as {@link GridFollower} does; the three passes alternate, {@code rounds} times.
 */
final class ApplierThroughput {
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration BOUND = Duration.ofMinutes(10);

    /** What one pass over the stream did with each message. */
    private enum Pass { READ, VERIFY, APPLY }

    private ApplierThroughput() {}

    static void run(int ledgerCount, int tradesPerLedger, int rounds) throws Exception {
        Path folder = GridBench.temporaryFolder("forge-bench-apply");
        try (LocalCluster cluster = LocalCluster.start(folder.resolve("nats"), LocalCluster.freePorts(1), java.util.Optional.empty());
             Connection connection = GridConnection.connect(cluster.urls(), "bench")) {
            GridBench.freshStream(connection, 1);
            long start = System.nanoTime();
            List<LedgerNode> nodes = GridBench.ledgers(folder, ledgerCount, tradesPerLedger);
            int total = GridBench.entries(nodes);
            report("ledger settle (durable, verified; filling the ledgers)", total, System.nanoTime() - start);
            start = System.nanoTime();
            for (LedgerNode node : nodes) new GridPublisher(connection, node.identity, node.ledger).publishPending();
            report("publish, one acknowledged publish at a time", total, System.nanoTime() - start);
            long bytes = 0;
            for (LedgerNode node : nodes) for (GridEntry entry : node.entries()) bytes += entry.encode().length;
            System.out.printf("entries %d, mean entry %d bytes%n", total, bytes / total);
            byte[] expected = GridBench.expectedRoot(nodes);
            for (int round = 1; round <= rounds; round++) {
                for (Pass pass : Pass.values()) measure(connection, pass, total, folder.resolve("applier-" + round), expected);
            }
            for (LedgerNode node : nodes) node.close();
        } finally {
            GridBench.deleteQuietly(folder);
        }
    }

    private static void measure(Connection connection, Pass pass, int total, Path store, byte[] expected) throws Exception {
        long start;
        long elapsed;
        int restarts;
        if (pass == Pass.APPLY) {
            try (GridApplier applier = GridApplier.open(store)) {
                start = System.nanoTime();
                restarts = readAll(connection, total, message -> applier.apply(message.getSubject(), message.getData(),
                        message.metaData().streamSequence()));
                elapsed = System.nanoTime() - start;
                if (!Arrays.equals(applier.gridRoot(), expected) || !applier.refusals().isEmpty()) {
                    throw new IllegalStateException("the applier did not reach the ledgers' root: " + applier.refusals());
                }
            }
        } else {
            start = System.nanoTime();
            restarts = readAll(connection, total, pass == Pass.READ ? message -> { } : message -> GridEntry.decode(message.getData()).verify());
            elapsed = System.nanoTime() - start;
        }
        report(pass.name().toLowerCase() + (restarts == 0 ? "" : " (consumer restarted " + restarts + "x)"), total, elapsed);
    }

    /**
     * Reads sequences 1 to {@code total} with an ordered consumer, as the follower does, and like
     * it starts a fresh consumer after the last sequence read when one goes quiet (a consumer
     * whose client fell behind can stall, nats.java issue 997).
     */
    private static int readAll(Connection connection, int total, Consumer<Message> handler) throws Exception {
        long next = 1;
        int consumers = 0;
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (next <= total) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("read " + (next - 1) + " of " + total + " in " + BOUND);
            var config = new OrderedConsumerConfiguration().filterSubject(GridStreams.ALL_SUBJECTS)
                    .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(next);
            consumers++;
            try (IterableConsumer consumer = connection.getStreamContext(GridStreams.STREAM).createOrderedConsumer(config).iterate()) {
                Message message;
                while (next <= total && (message = consumer.nextMessage(POLL)) != null) {
                    handler.accept(message);
                    next = message.metaData().streamSequence() + 1;
                }
            }
        }
        return consumers - 1;
    }

    private static void report(String what, int count, long nanos) {
        System.out.printf("%-55s %7d in %8.1f ms: %9.0f /s%n", what, count, nanos / 1e6, count * 1e9 / nanos);
    }
}
