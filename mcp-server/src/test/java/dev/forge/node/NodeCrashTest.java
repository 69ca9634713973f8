package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Trade;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL a node in the middle of a stream of chats; after restart every trade a client saw
 * acknowledged is in the ledger, the ledger's checks pass on open, and every trade's proof
 * leads to the Merkle root.
 */
class NodeCrashTest {
    @Test
    void everyAcknowledgedTradeSurvivesAKill() throws Exception {
        String model = TestModel.folder().toString();
        Path data = Files.createTempDirectory("forge-crash");
        List<Long> acknowledged = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                    ChatStreamChild.class.getName(), data.toString(), model)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                int seen = 0;
                for (String line; seen < 15 + 10 * round && (line = out.readLine()) != null; ) {
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(Long.parseLong(line.substring(4)));
                        seen++;
                    }
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            child.waitFor();
        }
        try (ForgeNode node = ForgeNode.open(NodeSettings.of(data, List.of()))) {
            var ledger = node.ledger();
            long size = ledger.tradeCount();
            byte[] root = ledger.merkleRoot(size);
            for (long id : acknowledged) {
                Trade trade = ledger.trade(id).orElseThrow(() -> new AssertionError("acknowledged trade " + id + " was lost"));
                assertEquals("kim", trade.consumer());
                assertTrue(ledger.proof(id, size).verify(trade.leafHash(), root), "trade " + id + " under the root");
            }
            assertTrue(size >= acknowledged.size());
            assertTrue(ledger.invariants().hold());
        }
    }
}
