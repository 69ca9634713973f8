package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL a node in the middle of a stream of chats; after restart every trade a client saw
 * acknowledged is in the ledger, the ledger holds no trade beyond those save the one each kill
 * cut off between its commit and its acknowledgement, the ledger's checks pass on open, and
 * every trade's proof leads to the Merkle root.
 */
class NodeCrashTest {
    @Test
    void everyAcknowledgedTradeSurvivesAKill() throws Exception {
        String model = TestModel.folder().toString();
        Path data = Files.createTempDirectory("forge-crash");
        List<Long> acknowledged = new ArrayList<>();
        List<Long> lastAcknowledged = new ArrayList<>(); // per round: the last trade the client saw before the kill
        for (int round = 0; round < 2; round++) {
            int target = 15 + 10 * round;
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                    ChatStreamChild.class.getName(), data.toString(), model)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                int seen = 0;
                for (String line; seen < target && (line = out.readLine()) != null; ) {
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(Long.parseLong(line.substring(4)));
                        seen++;
                    }
                }
                assertEquals(target, seen, "round " + round + ": the child acknowledged fewer chats than asked before it ended");
                // SIGKILL: no shutdown hook, no close. Through the handle, which (unlike Process.destroyForcibly) leaves
                // the pipe open: what the child printed before it died is still in it, and a client would have seen it.
                child.toHandle().destroyForcibly();
                child.waitFor();
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("ACK ")) acknowledged.add(Long.parseLong(line.substring(4)));
                }
            }
            lastAcknowledged.add(acknowledged.getLast());
        }
        assertEquals(acknowledged.size(), Set.copyOf(acknowledged).size(), "no trade acknowledged twice: " + acknowledged);
        try (ForgeNode node = ForgeNode.open(NodeSettings.of(data, List.of()))) {
            var ledger = node.ledger();
            long size = ledger.logSize();
            byte[] root = ledger.merkleRoot(size);
            for (long id : acknowledged) {
                var chat = ledger.settledWork(id).orElseThrow(() -> new AssertionError("acknowledged chat " + id + " was lost"));
                assertEquals("kim", chat.order().order().buyer());
                assertEquals(ForgeNode.PROVIDER, chat.provider(), "a chat is an order the node fulfilled");
                assertTrue(ledger.proof(id, size).verify(chat.leafHash(), root), "chat " + id + " under the root");
            }
            // A chat can commit and be killed before it prints its ACK: at most one such trade per kill, right after
            // the last one acknowledged in that round. Every other trade in the ledger is one the client saw.
            Set<Long> cutOff = lastAcknowledged.stream().map(id -> id + 1).collect(Collectors.toSet());
            List<Long> unseen = LongStream.rangeClosed(1, size).boxed().filter(id -> !acknowledged.contains(id)).toList();
            assertTrue(cutOff.containsAll(unseen), "trades no client saw acknowledged: " + unseen + "; cut off by a kill: " + cutOff);
            assertEquals(size, acknowledged.size() + unseen.size(), "the ledger holds the acknowledged trades and those cut off");
            assertTrue(acknowledged.size() >= 15 + 25);
            assertTrue(ledger.invariants().hold());
        }
    }
}
