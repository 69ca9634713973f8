package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Trade;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nats-server processes in a JetStream cluster, three nodes with real ledgers publishing
 * over their own connections, and three appliers in their own JVMs with their own MapDB
 * folders. One NATS server is killed mid-stream and one applier killed and restarted; then the
 * server comes back, a fourth applier joins through it alone, and the four attacks come over
 * the wire. Every applier must end with the same state, which is the ledgers' own.
 */
class GridClusterIT {
    static final Duration DEDUPE_WINDOW = Duration.ofSeconds(2);
    static final Duration CONVERGE = Duration.ofMinutes(3);
    @TempDir Path dir;

    record Node(LedgerNode ledger, Connection connection, GridPublisher publisher) {}

    @Test
    void everyApplierEndsWithTheLedgersStateAndRefusesTheAttacks() throws Exception {
        try (var cluster = new NatsCluster(dir, 3)) {
            List<Node> nodes = new ArrayList<>();
            List<ApplierProcess> appliers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    var ledger = new LedgerNode(dir.resolve("ledger-" + i), "n" + i, 3);
                    Connection connection = GridConnection.connect(rotate(cluster.urls(), i), "node " + i);
                    if (i == 0) Grids.ensure(connection, new GridStreams(3, DEDUPE_WINDOW, Duration.ofSeconds(30)));
                    nodes.add(new Node(ledger, connection, new GridPublisher(connection, ledger.identity, ledger.ledger)));
                }
                for (int i = 0; i < 3; i++) appliers.add(new ApplierProcess(dir.resolve("applier-" + i), rotate(cluster.urls(), i)));

                Map<Long, byte[]> acknowledged = tradeWhileThingsDie(cluster, nodes, appliers);
                String expected = expectedSummary(nodes, new Attackers(Map.of(), Map.of(), Map.of()));
                for (ApplierProcess applier : appliers) applier.await(s -> s.startsWith(expected), CONVERGE);
                assertNothingAcknowledgedLost(nodes.getFirst().connection(), acknowledged);

                assertTrue(appliers.get(2).log().matches("(?s).*applier resumes after sequence 0\n.*"
                        + "applier resumes after sequence [1-9][0-9]*\n.*"), "the restarted applier resumed from its MapDB file:\n" + appliers.get(2).log());
                cluster.start(1);
                cluster.awaitReady(1);
                appliers.add(new ApplierProcess(dir.resolve("late-joiner"), List.of(cluster.url(1))));
                String attacked = expectedSummary(nodes, attack(nodes));
                List<String> ends = new ArrayList<>();
                for (ApplierProcess applier : appliers) {
                    ends.add(applier.await(s -> s.contains("refused equivocation 1") && s.startsWith(attacked), CONVERGE));
                }
                assertEquals(1, ends.stream().distinct().count(), "every applier holds the same state:\n" + ends);
                String end = ends.getFirst();
                for (String code : List.of("forged_signature", "duplicate", "sequence_gap", "equivocation")) {
                    assertTrue(end.contains("refused " + code + " 1\n"), code + " detected once:\n" + end);
                }
            } finally {
                for (ApplierProcess applier : appliers) applier.close();
                for (Node node : nodes) {
                    node.connection().close();
                    node.ledger().close();
                }
            }
        }
    }

    static List<String> rotate(List<String> urls, int by) {
        List<String> out = new ArrayList<>(urls);
        java.util.Collections.rotate(out, -by);
        return out;
    }

    /** Random trades and work on random nodes, each published at once; a NATS server and an applier die on the way. */
    Map<Long, byte[]> tradeWhileThingsDie(NatsCluster cluster, List<Node> nodes, List<ApplierProcess> appliers)
            throws Exception {
        Random random = new Random(16);
        Map<Long, byte[]> acknowledged = new HashMap<>();
        for (int round = 0; round < 60; round++) {
            if (round == 20) cluster.kill(1);
            if (round == 30) {
                appliers.get(2).await(summary -> summary.contains("\nsequence ") && !summary.contains("\nsequence 0\n"),
                        CONVERGE);
                appliers.get(2).kill();
            }
            if (round == 45) appliers.get(2).start();
            Node node = nodes.get(random.nextInt(nodes.size()));
            if (random.nextInt(5) == 0) node.ledger().work(random.nextInt(3), 5 + random.nextInt(40));
            else node.ledger().trade(random.nextInt(3), 500 + random.nextInt(5_000));
            List<GridEntry> entries = node.ledger().entries();
            for (GridPublisher.Acknowledged ack : node.publisher().publishPending()) {
                acknowledged.put(ack.streamSequence(), entries.get((int) ack.index()).encode());
            }
        }
        for (Node node : nodes) assertEquals(List.of(), node.publisher().publishPending(), "nothing left to publish");
        return acknowledged;
    }

    /** Every acknowledged publish is still in the stream, at its sequence, byte for byte. */
    static void assertNothingAcknowledgedLost(Connection connection, Map<Long, byte[]> acknowledged) throws Exception {
        var management = connection.jetStreamManagement();
        for (var ack : acknowledged.entrySet()) {
            assertArrayEquals(ack.getValue(), management.getMessage(GridStreams.STREAM, ack.getKey()).getData(),
                    "acknowledged sequence " + ack.getKey());
        }
        assertTrue(acknowledged.size() >= 60, "every trade was acknowledged: " + acknowledged.size());
    }

    /** What the attacking nodes' logs must stop at: their heads, whether verifiable, the money of what applied. */
    record Attackers(Map<String, GridRoot.Head> heads, Map<String, Boolean> verifiable, Map<String, Long> flows) {}

    /**
     * The state the appliers must reach, built from the ledgers alone: the grid root, each
     * node's head, which nodes are verifiable and the net money per account; in
     * {@link ApplierMain#summary}'s format, up to the refusal counts.
     */
    static String expectedSummary(List<Node> nodes, Attackers attackers) {
        Map<String, GridRoot.Head> heads = new TreeMap<>(attackers.heads());
        Map<String, Boolean> verifiable = new TreeMap<>(attackers.verifiable());
        Map<String, Long> flows = new TreeMap<>(attackers.flows());
        for (Node node : nodes) {
            heads.put(node.ledger().identity.id(), node.ledger().head());
            verifiable.put(node.ledger().identity.id(), true);
            node.ledger().addFlows(flows);
        }
        var out = new StringBuilder("root ").append(HexFormat.of().formatHex(GridRoot.of(heads))).append('\n');
        heads.forEach((id, head) -> out.append("head ").append(id).append(' ').append(head.size()).append(' ')
                .append(HexFormat.of().formatHex(head.root())).append('\n'));
        verifiable.forEach((id, ok) -> out.append("verifiable ").append(id).append(' ').append(ok).append('\n'));
        flows.forEach((account, net) -> out.append("flow ").append(account).append(' ').append(net).append('\n'));
        return out.toString();
    }

    /**
     * Over the wire: a forged entry, a duplicate past the de-duplication window, a node that
     * skips an index and a node that signs two entries for one index. Returns what the two
     * attacking nodes' logs must stop at.
     */
    Attackers attack(List<Node> nodes) throws Exception {
        Node victim = nodes.getFirst();
        JetStream jetStream = victim.connection().jetStream();
        String victimSubject = GridStreams.subject(victim.ledger().identity.id());
        List<GridEntry> victimEntries = victim.ledger().entries();

        byte[] forged = victim.ledger().entries().getLast().encode();
        forged[forged.length - 1] ^= 1;
        jetStream.publish(victimSubject, forged, PublishOptions.builder().messageId("forged").build());

        Thread.sleep(DEDUPE_WINDOW.toMillis() + 1_000);
        GridEntry first = victimEntries.getFirst();
        PublishAck replay = jetStream.publish(victimSubject, first.encode(),
                PublishOptions.builder().messageId(first.messageId()).build());
        assertFalse(replay.isDuplicate(), "past its window the stream takes the replay as new");

        Map<String, GridRoot.Head> heads = new HashMap<>();
        Map<String, Boolean> verifiable = new HashMap<>();
        Map<String, Long> flows = new HashMap<>();
        try (var skipper = new LedgerNode(dir.resolve("skipper"), "skip", 1)) {
            for (int i = 0; i < 3; i++) skipper.trade(0, 700 + i);
            List<GridEntry> entries = skipper.entries();
            publish(jetStream, entries.get(0));
            publish(jetStream, entries.get(2));
            heads.put(skipper.identity.id(), new GridRoot.Head(1, skipper.ledger.merkleRoot(1)));
            verifiable.put(skipper.identity.id(), true);
            Trade applied = skipper.ledger.trade(1).orElseThrow();
            flows.put(skipper.onGrid(applied.consumer()), -applied.amount());
            flows.put(skipper.onGrid(applied.provider()), applied.amount());
        }
        var liar = NodeIdentity.generate();
        try (var story = new LedgerNode(dir.resolve("story"), "liar", 1, liar);
             var otherStory = new LedgerNode(dir.resolve("other-story"), "liar", 1, liar)) {
            story.trade(0, 800);
            otherStory.trade(0, 801);
            publish(jetStream, story.entries().getFirst());
            jetStream.publish(GridStreams.subject(liar.id()), otherStory.entries().getFirst().encode(),
                    PublishOptions.builder().messageId("another-id-for-the-same-index").build());
            heads.put(liar.id(), story.head());
            verifiable.put(liar.id(), false);
            story.addFlows(flows);
        }
        return new Attackers(heads, verifiable, flows);
    }

    static void publish(JetStream jetStream, GridEntry entry) throws Exception {
        jetStream.publish(GridStreams.subject(entry.nodeId()), entry.encode(),
                PublishOptions.builder().messageId(entry.messageId()).build());
    }

}
