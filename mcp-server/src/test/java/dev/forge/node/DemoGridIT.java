package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.Phase;
import dev.forge.economy.ledger.Transfer;
import dev.forge.grid.GridApplier;
import dev.forge.grid.GridRoot;
import dev.forge.grid.NodeIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code forge demo --grid --rounds 1} as the launcher runs it: three nats-servers, three node
 * processes, the four agents. It exits 0, and the nodes' own records, read after it ended, say:
 * every node's grid store holds one grid root, the root of the three ledgers' own heads; an
 * agent's chat settled on one node was served by another (its payment to that node's
 * {@code peer:} account, the seller's ledger paid by {@code peer:<buyer>}); and for every two
 * nodes, what one's log says it owes the other is what the other's says it is owed. The printout
 * says the same.
 */
class DemoGridIT {
    private static final List<String> NODES = List.of("a", "b", "c");
    private static final Pattern NODE = Pattern.compile("(?m)^node ([abc]) \\((node-[0-9a-f]{40}), serves ");
    private static final Pattern GRID_ROOT = Pattern.compile("(?m)^grid root: ([0-9a-f]{64})$");
    private static final Pattern REMOTE = Pattern.compile("(?m)^chats of its agents served by another node: ([0-9]+)$");

    @Test
    void threeNodesTradeAcrossTheGridAndAgree() throws Exception {
        NodeProcess.requirePackaged();
        Path folder = Files.createTempDirectory("forge-demo-grid-it").resolve("demo");
        String out = NodeProcess.runToEnd(folder, "demo", "--grid", "--rounds", "1", "--folder", folder.toString(), "--trained",
                TestModel.folder().toString()).out();

        Map<String, String> ids = new HashMap<>();
        Matcher node = NODE.matcher(out);
        while (node.find()) ids.put(node.group(1), node.group(2));
        assertEquals(3, ids.size(), "a section per node:\n" + out);
        for (String n : NODES) assertEquals(ids.get(n), idOf(folder.resolve("node-" + n)), "node " + n + "'s id is its key's");
        List<String> printedRoots = all(GRID_ROOT, out);
        assertEquals(3, printedRoots.size(), out);
        assertEquals(1, printedRoots.stream().distinct().count(), "one grid root printed:\n" + out);

        Map<String, GridRoot.Head> ledgerHeads = new HashMap<>();
        Map<String, List<Transfer>> transfers = new HashMap<>();
        for (String n : NODES) {
            try (Ledger ledger = Ledger.open(folder.resolve("node-" + n).resolve("ledger"))) {
                ledgerHeads.put(ids.get(n), new GridRoot.Head(ledger.logSize(), ledger.merkleRoot()));
                List<Transfer> all = new ArrayList<>();
                for (long id = 0; id <= ledger.transferCount(); id++) ledger.findTransfer(id).ifPresent(all::add);
                transfers.put(n, all);
            }
        }
        String root = HexFormat.of().formatHex(GridRoot.of(ledgerHeads));
        for (String n : NODES) {
            try (GridApplier store = GridApplier.open(folder.resolve("node-" + n).resolve("grid"))) {
                assertEquals(root, HexFormat.of().formatHex(store.gridRoot()), "node " + n + "'s grid store holds the ledgers' grid root");
                assertTrue(store.refusals().isEmpty(), "node " + n + " refused nothing: " + store.refusals());
                Map<String, Long> flows = store.flows();
                for (String x : NODES) {
                    for (String y : NODES) {
                        if (x.equals(y)) continue;
                        long xSaysOwes = flows.getOrDefault(ids.get(x) + "/peer:" + ids.get(y), 0L);
                        long ySaysOwed = -flows.getOrDefault(ids.get(y) + "/peer:" + ids.get(x), 0L);
                        assertEquals(xSaysOwes, ySaysOwed, "on node " + n + ": what " + x + "'s log says it owes " + y
                                + " is what " + y + "'s log says");
                    }
                }
            }
        }
        assertEquals(root, printedRoots.getFirst(), "the printed root is the nodes' own");

        int crossed = 0;
        for (String buyer : NODES) {
            for (String seller : NODES) {
                if (buyer.equals(seller)) continue;
                long paid = paidTo(transfers.get(buyer), "peer:" + ids.get(seller));
                long earned = paidBy(transfers.get(seller), "peer:" + ids.get(buyer));
                assertEquals(paid, earned, buyer + " paid " + seller + " what " + seller + "'s ledger says " + buyer + " paid");
                if (paid > 0) crossed++;
            }
        }
        assertTrue(crossed >= 1, "a chat settled on one node was served by another:\n" + out);
        int printedRemote = all(REMOTE, out).stream().mapToInt(Integer::parseInt).sum();
        assertTrue(printedRemote >= 1, "the demo counts chats served by another node:\n" + out);
        assertTrue(out.contains("grid: the three nodes hold one grid root"), out);
    }

    /** µCU settled from an agent to {@code peer} on one ledger: the posted (or single) transfers that credit it. */
    private static long paidTo(List<Transfer> transfers, String peer) {
        return transfers.stream().filter(t -> t.creditAccount().equals(peer) && settled(t)).mapToLong(Transfer::amount).sum();
    }

    /** µCU settled from {@code peer} on one ledger: the posted (or single) transfers that debit it. */
    private static long paidBy(List<Transfer> transfers, String peer) {
        return transfers.stream().filter(t -> t.debitAccount().equals(peer) && settled(t)).mapToLong(Transfer::amount).sum();
    }

    private static boolean settled(Transfer t) {
        return t.phase() == Phase.POST || t.phase() == Phase.SINGLE;
    }

    private static String idOf(Path data) throws java.io.IOException {
        String seed = Files.readString(data.resolve("keys").resolve("node.seed")).strip();
        return new NodeIdentity(Ed25519.fromSeed(HexFormat.of().parseHex(seed))).id();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) found.add(m.group(1));
        return found;
    }
}
