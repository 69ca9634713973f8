package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.ledger.Trade;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier without NATS: real ledgers, real signatures, real MapDB files, stream order given by hand. */
class GridApplierTest {
    @TempDir Path dir;
    final List<LedgerNode> nodes = new ArrayList<>();
    final List<GridApplier> appliers = new ArrayList<>();

    @BeforeEach
    void trade() {
        for (int n = 0; n < 3; n++) {
            var node = new LedgerNode(dir.resolve("ledger-" + n), "n" + n, 3);
            for (int i = 0; i < 7 + n; i++) {
                if (i % 4 == 3) node.work(i % 3, 20 + i);
                else node.trade(i % 3, 1_000 + 17L * i + n);
            }
            nodes.add(node);
        }
    }

    @AfterEach
    void close() {
        appliers.forEach(GridApplier::close);
        nodes.forEach(LedgerNode::close);
    }

    GridApplier applier(String name) {
        var applier = GridApplier.open(dir.resolve(name));
        appliers.add(applier);
        return applier;
    }

    /** Every node's entries merged in a random order that keeps each node's own order. */
    List<GridEntry> interleaving(long seed) {
        Random random = new Random(seed);
        List<List<GridEntry>> queues = new ArrayList<>();
        for (LedgerNode node : nodes) queues.add(new ArrayList<>(node.entries()));
        List<GridEntry> merged = new ArrayList<>();
        while (queues.stream().anyMatch(q -> !q.isEmpty())) {
            List<GridEntry> queue = queues.get(random.nextInt(queues.size()));
            if (!queue.isEmpty()) merged.add(queue.removeFirst());
        }
        return merged;
    }

    static long feed(GridApplier applier, List<GridEntry> entries, long firstSequence) {
        long sequence = firstSequence;
        for (GridEntry entry : entries) {
            applier.apply(GridStreams.subject(entry.nodeId()), entry.encode(), sequence++);
        }
        return sequence;
    }

    Map<String, GridRoot.Head> ledgerHeads() {
        Map<String, GridRoot.Head> heads = new HashMap<>();
        for (LedgerNode node : nodes) heads.put(node.identity.id(), node.head());
        return heads;
    }

    @Test
    void everyInterleavingEndsInTheLedgersHeadsAndOneGridRoot() {
        byte[] expected = GridRoot.of(ledgerHeads());
        for (int seed = 0; seed < 4; seed++) {
            GridApplier applier = applier("applier-" + seed);
            feed(applier, interleaving(seed), 1);
            assertArrayEquals(expected, applier.gridRoot(), "seed " + seed);
            for (LedgerNode node : nodes) {
                GridRoot.Head head = applier.heads().get(node.identity.id());
                assertEquals(node.ledger.logSize(), head.size());
                assertArrayEquals(node.ledger.merkleRoot(), head.root());
            }
            assertEquals(Map.of(), applier.refusals());
            Map<String, Long> flows = new java.util.TreeMap<>();
            nodes.forEach(node -> node.addFlows(flows));
            assertEquals(flows, applier.flows());
        }
        assertEquals(appliers.get(0).flows(), appliers.get(3).flows());
    }

    @Test
    void aLedgerProofVerifiesAgainstTheHeadTheGridApplied() {
        GridApplier applier = applier("a");
        feed(applier, interleaving(9), 1);
        LedgerNode node = nodes.get(1);
        GridRoot.Head head = applier.heads().get(node.identity.id());
        Trade trade = node.ledger.trade(3).orElseThrow();
        assertTrue(applier.proof(node.identity.id(), 2, head.size()).orElseThrow().verify(trade.leafHash(), head.root()));
        assertTrue(applier.consistency(node.identity.id(), 2, head.size()).orElseThrow()
                .verify(node.ledger.merkleRoot(2), head.root()));
    }

    @Test
    void aRestartKeepsWhatWasAppliedAndWhereItStopped() {
        GridApplier first = GridApplier.open(dir.resolve("restart"));
        List<GridEntry> entries = interleaving(3);
        long next = feed(first, entries.subList(0, 10), 1);
        byte[] halfway = first.gridRoot();
        first.close();
        GridApplier again = applier("restart");
        assertEquals(next - 1, again.lastSequence());
        assertArrayEquals(halfway, again.gridRoot());
        assertEquals(GridApplier.Outcome.ALREADY_HANDLED,
                again.apply(GridStreams.subject(entries.get(9).nodeId()), entries.get(9).encode(), next - 1));
        feed(again, entries.subList(10, entries.size()), next);
        assertArrayEquals(GridRoot.of(ledgerHeads()), again.gridRoot());
    }

    @Test
    void anAttestationAppliedOnceIsRefusedUnderAnotherNodesLog() {
        LedgerNode node = nodes.getFirst();
        GridApplier applier = applier("work");
        List<GridEntry> entries = node.entries();
        GridEntry work = entries.get(3);
        var record = (GridRecord.WorkRecord) work.record();
        assertEquals(0, record.work().attestation().attestation().logIndex());
        feed(applier, entries.subList(0, 3), 1);
        // Another node republishes the attestation as its own leaf 0: its log is in order, but the
        // provider's attestation chain has moved past it.
        assertEquals(GridApplier.Outcome.APPLIED, applier.apply(GridStreams.subject(node.identity.id()), work.encode(), 4));
        var thief = NodeIdentity.generate();
        var stolen = new GridRecord.WorkRecord(new dev.forge.economy.ledger.SettledWork(1, record.work().orderId(),
                record.work().order(), record.work().attestation(), record.work().transferId(), record.work().settledAt()),
                record.orderKey(), record.providerKey());
        // The root of a one-leaf tree is the leaf's hash (RFC 6962).
        assertRefused(applier, GridEntry.sign(thief, 0, GridEntry.noPrevious(), stolen, stolen.leafHash()),
                GridRefusal.DUPLICATE, 5);
    }

    @Test
    void aStoreFileLeftEmptyByAKillDuringCreationStartsOver() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("empty"));
        java.nio.file.Files.createFile(dir.resolve("empty").resolve(GridStore.FILE_NAME));
        GridApplier applier = applier("empty");
        assertEquals(0, applier.lastSequence());
        feed(applier, interleaving(5), 1);
        assertArrayEquals(GridRoot.of(ledgerHeads()), applier.gridRoot());
    }

    GridApplier appliedFirstFive(LedgerNode node) {
        GridApplier applier = applier("attacked");
        feed(applier, node.entries().subList(0, 5), 1);
        return applier;
    }

    void assertRefused(GridApplier applier, GridEntry entry, GridRefusal refusal, long sequence) {
        assertRefused(applier, GridStreams.subject(entry.nodeId()), entry.encode(), refusal, sequence);
    }

    void assertRefused(GridApplier applier, String subject, byte[] data, GridRefusal refusal, long sequence) {
        byte[] root = applier.gridRoot();
        Map<String, Long> flows = applier.flows();
        assertEquals(GridApplier.Outcome.REFUSED, applier.apply(subject, data, sequence));
        assertArrayEquals(root, applier.gridRoot(), refusal + " changed the root");
        assertEquals(flows, applier.flows(), refusal + " moved money");
        GridEvidence last = applier.evidence().getLast();
        assertEquals(refusal, last.refusal());
        assertEquals(sequence, last.streamSequence());
        assertEquals(sequence, applier.lastSequence());
    }

    @Test
    void aDuplicateIsRefusedHoweverLateItComes() {
        LedgerNode node = nodes.getFirst();
        GridApplier applier = appliedFirstFive(node);
        assertRefused(applier, node.entries().get(2), GridRefusal.DUPLICATE, 1_000);
        assertEquals(1L, applier.refusals().get("duplicate"));
        assertEquals(5, applier.heads().get(node.identity.id()).size());
    }

    @Test
    void aGapInTheNodesSequenceIsRefusedAndTheMissingEntryStillApplies() {
        LedgerNode node = nodes.getFirst();
        GridApplier applier = appliedFirstFive(node);
        List<GridEntry> entries = node.entries();
        assertRefused(applier, entries.get(6), GridRefusal.SEQUENCE_GAP, 6);
        assertEquals(GridApplier.Outcome.APPLIED, applier.apply(GridStreams.subject(node.identity.id()),
                entries.get(5).encode(), 7));
        assertEquals(GridApplier.Outcome.APPLIED, applier.apply(GridStreams.subject(node.identity.id()),
                entries.get(6).encode(), 8));
    }

    @Test
    void forgedSignaturesAreRefused() {
        LedgerNode node = nodes.getFirst();
        GridApplier applier = appliedFirstFive(node);
        GridEntry next = node.entries().get(5);
        byte[] flipped = next.encode();
        flipped[flipped.length - 1] ^= 1;
        assertRefused(applier, GridStreams.subject(node.identity.id()), flipped, GridRefusal.FORGED_SIGNATURE, 6);

        NodeIdentity impostor = NodeIdentity.generate();
        var claimed = new GridEntry(node.identity.id(), impostor.publicKey(), 5, next.previousDigest(), next.record(),
                next.head(), impostor.sign(next.signedBytes()));
        assertRefused(applier, claimed, GridRefusal.FORGED_SIGNATURE, 7);

        Trade honest = ((GridRecord.TradeRecord) next.record()).trade();
        SignedTrade signed = honest.signed();
        byte[] forgedSignature = impostor.sign(signed.authorization().signedBytes());
        var d = signed.delivery();
        var boundDelivery = new Delivery(SignedTrade.authorizationDigest(signed.authorization(), forgedSignature),
                d.promptTokens(), d.completionTokens(), d.pricePerKiloToken(), d.amount(), d.outputHash(), d.completedAt());
        var forgedConsumer = new SignedTrade(signed.authorization(), forgedSignature, boundDelivery,
                impostor.sign(boundDelivery.signedBytes()));
        var record = new GridRecord.TradeRecord(new Trade(honest.id(), forgedConsumer, honest.transferId(), honest.settledAt()),
                ((GridRecord.TradeRecord) next.record()).consumerKey(), ((GridRecord.TradeRecord) next.record()).providerKey());
        assertRefused(applier, GridEntry.sign(node.identity, 5, next.previousDigest(), record, next.head().root()),
                GridRefusal.FORGED_SIGNATURE, 8);
        assertEquals(GridApplier.Outcome.APPLIED, applier.apply(GridStreams.subject(node.identity.id()), next.encode(), 9));
    }

    @Test
    void aBrokenChainAWrongHeadAndAWrongSubjectAreRefused() {
        LedgerNode node = nodes.getFirst();
        GridApplier applier = appliedFirstFive(node);
        GridEntry next = node.entries().get(5);
        assertRefused(applier, GridEntry.sign(node.identity, 5, new byte[32], next.record(), next.head().root()),
                GridRefusal.CHAIN_BROKEN, 6);
        assertRefused(applier, GridEntry.sign(node.identity, 5, next.previousDigest(), next.record(), new byte[32]),
                GridRefusal.BINDING_MISMATCH, 7);
        assertRefused(applier, GridStreams.subject(nodes.get(1).identity.id()), next.encode(), GridRefusal.WRONG_SUBJECT, 8);
        assertRefused(applier, GridStreams.subject(node.identity.id()), "not an entry".getBytes(),
                GridRefusal.MALFORMED_ENTRY, 9);
        assertEquals(GridApplier.Outcome.APPLIED, applier.apply(GridStreams.subject(node.identity.id()), next.encode(), 10));
    }

    @Test
    void anEquivocatingNodeIsKeptAsEvidenceAndNothingMoreOfItApplies() {
        LedgerNode honest = nodes.getFirst();
        GridApplier applier = appliedFirstFive(honest);
        try (var twin = new LedgerNode(dir.resolve("twin"), "n0", 3, honest.identity)) {
            for (int i = 0; i < 5; i++) twin.trade(0, 999 + i);
            GridEntry otherStory = twin.entries().get(3);
            assertRefused(applier, otherStory, GridRefusal.EQUIVOCATION, 6);
            GridEvidence evidence = applier.evidence().getLast();
            GridEntry earlier = GridEntry.decode(evidence.earlierEntry());
            GridEntry later = GridEntry.decode(evidence.entry());
            earlier.verify();
            later.verify();
            assertEquals(earlier.head().size(), later.head().size());
            assertFalse(java.util.Arrays.equals(earlier.head().root(), later.head().root()));
        }
        assertFalse(applier.verifiable().get(honest.identity.id()));
        assertRefused(applier, honest.entries().get(5), GridRefusal.PROVIDER_UNVERIFIABLE, 7);
    }
}
