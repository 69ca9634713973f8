package dev.forge.grid;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Setup the grid benchmarks share: ledgers full of signed trades, a fresh stream, the expected root. */
final class GridBench {
    /** Trades a ledger keeps in flight while it is filled (pipelined, as the node's handlers settle). */
    private static final int IN_FLIGHT = 256;

    private GridBench() {}

    /** {@code count} ledgers in {@code folder}, each settling {@code trades} trades of its 4 agents. */
    static List<LedgerNode> ledgers(Path folder, int count, int trades) {
        List<LedgerNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var node = new LedgerNode(folder.resolve("ledger-" + i), "n" + i, 4);
            fill(node, trades);
            nodes.add(node);
        }
        return nodes;
    }

    private static void fill(LedgerNode node, int trades) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int t = 0; t < trades; t++) {
            pending.add(node.ledger.settleAsync(node.signedTrade(t % node.agents.size(), 1_000 + t), 0));
            if (pending.size() == IN_FLIGHT) {
                pending.forEach(CompletableFuture::join);
                pending.clear();
            }
        }
        pending.forEach(CompletableFuture::join);
    }

    /** Deletes the grid stream if there is one and creates it afresh: its sequences start at 1. */
    static void freshStream(Connection connection, int replicas) throws Exception {
        try {
            connection.jetStreamManagement().deleteStream(GridStreams.STREAM);
        } catch (JetStreamApiException missing) {
            if (missing.getApiErrorCode() != GridStreams.STREAM_NOT_FOUND) throw missing;
        }
        Grids.ensure(connection, GridStreams.defaults(replicas));
    }

    /** The grid root every applier must reach once it applied all of these ledgers' logs. */
    static byte[] expectedRoot(List<LedgerNode> nodes) {
        Map<String, GridRoot.Head> heads = new HashMap<>();
        for (LedgerNode node : nodes) heads.put(node.identity.id(), node.head());
        return GridRoot.of(heads);
    }

    static int entries(List<LedgerNode> nodes) {
        return nodes.stream().mapToInt(node -> (int) node.ledger.logSize()).sum();
    }

    static Path temporaryFolder(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the OS cleans it eventually
        }
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
