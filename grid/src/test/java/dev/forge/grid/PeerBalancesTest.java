package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.grid.PeerBalances.Recorded;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Money between nodes from real ledgers' logs, applied by a real applier; statements signed and checked. */
class PeerBalancesTest {
    @TempDir Path dir;
    LedgerNode a;
    LedgerNode b;
    LedgerNode c;
    GridApplier applier;
    final PeerTrades trades = new PeerTrades();

    @BeforeEach
    void open() {
        a = new LedgerNode(dir.resolve("a"), "a", 1);
        b = new LedgerNode(dir.resolve("b"), "b", 1);
        c = new LedgerNode(dir.resolve("c"), "c", 1);
        trades.open(a, b, c);
        applier = GridApplier.open(dir.resolve("applier"));
    }

    @AfterEach
    void close() {
        applier.close();
        List.of(a, b, c).forEach(LedgerNode::close);
    }

    long feedAll(long sequence) {
        for (LedgerNode node : List.of(a, b, c)) {
            for (GridEntry entry : node.entries()) {
                applier.apply(GridStreams.subject(entry.nodeId()), entry.encode(), sequence++);
            }
        }
        return sequence;
    }

    String id(LedgerNode node) {
        return node.identity.id();
    }

    @Test
    void bothLogsGiveWhatEachNodeOwesAndIsOwedAndTheyAgree() {
        trades.buy(a, b, 1_500, false);
        trades.buy(a, b, 250, false);
        trades.buy(b, a, 400, false);
        trades.buy(c, b, 7, false);
        a.trade(0, 999); // a local trade moves no money between nodes
        feedAll(1);
        assertEquals(java.util.Map.of(), applier.refusals());

        PeerBalances.Snapshot snapshot = new PeerBalances(applier).snapshot();
        PeerBalances.Between ab = snapshot.between(id(a), id(b));
        assertEquals(new Recorded(1_750, 400), ab.selfSays());
        assertEquals(new Recorded(1_750, 400), ab.peerSays());
        assertTrue(ab.agree());
        assertEquals(1_350, ab.net());
        assertEquals(new Recorded(400, 1_750), snapshot.between(id(b), id(a)).selfSays());
        assertEquals(new Recorded(0, 7), snapshot.between(id(b), id(c)).selfSays());
        assertEquals(new Recorded(0, 0), snapshot.between(id(a), id(c)).selfSays());
        assertEquals(List.of(id(b), id(c)).stream().sorted().toList(), snapshot.peersOf(id(a)));

        // The gross sums net to the applier's flows, as the contract says: flows[A/peer:B] and -flows[B/peer:A].
        var flows = applier.flows();
        assertEquals(flows.get(id(a) + "/" + PeerTrades.peer(b)), ab.net());
        assertEquals(-flows.get(id(b) + "/" + PeerTrades.peer(a)), ab.peerSays().net());
        assertArrayEquals(applier.gridRoot(), snapshot.gridRoot());
    }

    @Test
    void aTradeOnlyOneSideRecordedIsADisagreement() {
        trades.buy(a, b, 1_000, false);
        trades.buy(a, b, 300, true); // B's ledger never recorded this one
        feedAll(1);
        PeerBalances.Between ab = new PeerBalances(applier).snapshot().between(id(a), id(b));
        assertEquals(new Recorded(1_300, 0), ab.selfSays());
        assertEquals(new Recorded(1_000, 0), ab.peerSays());
        assertFalse(ab.agree());

        PeerStatement statement = PeerStatement.issue(a.identity, id(b), new PeerBalances(applier).snapshot(), 1_000);
        assertTrue(statement.verify());
        assertFalse(statement.agree());
        assertEquals(Optional.empty(), statement.mismatch(a.entries(), b.entries()));
    }

    @Test
    void theFoldFollowsTheLogsAsTheyGrowAndOnlyUpToTheHeadsItReports() {
        var balances = new PeerBalances(applier);
        trades.buy(a, b, 100, false);
        long next = feedAll(1);
        assertEquals(new Recorded(100, 0), balances.snapshot().between(id(a), id(b)).selfSays());
        trades.buy(a, b, 20, false);
        // Only the new entries: each log's next one.
        for (LedgerNode node : List.of(a, b)) {
            List<GridEntry> entries = node.entries();
            GridEntry last = entries.getLast();
            applier.apply(GridStreams.subject(last.nodeId()), last.encode(), next++);
        }
        PeerBalances.Snapshot snapshot = balances.snapshot();
        assertEquals(new Recorded(120, 0), snapshot.between(id(a), id(b)).selfSays());
        assertTrue(snapshot.between(id(a), id(b)).agree());
        assertEquals(a.ledger.logSize(), snapshot.size(id(a)));
        // A fresh fold (as after a restart) gives the same.
        assertEquals(snapshot.recorded(), new PeerBalances(applier).snapshot().recorded());
    }

    @Test
    void aStatementRoundTripsVerifiesAndMatchesBothNodesLogs() {
        trades.buy(a, b, 1_500, false);
        trades.buy(b, a, 400, false);
        feedAll(1);
        PeerStatement statement = PeerStatement.issue(a.identity, id(b), new PeerBalances(applier).snapshot(), 1_700_000_000_000L);
        assertTrue(statement.verify());
        assertTrue(statement.agree());
        assertEquals(new PeerStatement.Sums(1_500, 400), statement.issuerSays());
        assertEquals(a.ledger.logSize(), statement.issuerLogSize());
        assertArrayEquals(a.ledger.merkleRoot(), statement.issuerLogRoot());
        assertArrayEquals(b.ledger.merkleRoot(), statement.peerLogRoot());
        assertArrayEquals(applier.gridRoot(), statement.gridRoot());

        byte[] bytes = statement.encode();
        PeerStatement again = PeerStatement.decode(bytes);
        assertArrayEquals(bytes, again.encode());
        assertTrue(again.verify());
        // The third party's check, with the logs as each node's own ledger has them.
        assertEquals(Optional.empty(), again.mismatch(a.entries(), b.entries()));
    }

    @Test
    void aTamperedStatementFailsVerifyAndAForeignLogFailsTheCheck() {
        trades.buy(a, b, 1_500, false);
        feedAll(1);
        PeerStatement statement = PeerStatement.issue(a.identity, id(b), new PeerBalances(applier).snapshot(), 1_000);
        byte[] bytes = statement.encode();
        // Every byte of the signed fields and the signature matters.
        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 1;
            boolean refused;
            try {
                refused = !PeerStatement.decode(flipped).verify();
            } catch (IllegalArgumentException malformed) {
                refused = true;
            }
            assertTrue(refused, "byte " + i + " flipped still verifies");
        }
        // A statement that says A owes less, signed by another key under A's id, fails too.
        NodeIdentity impostor = NodeIdentity.generate();
        var lower = new PeerStatement(id(a), impostor.publicKey(), id(b), new PeerStatement.Sums(1, 0), statement.peerSays(),
                statement.issuerLogSize(), statement.issuerLogRoot(), statement.peerLogSize(), statement.peerLogRoot(),
                statement.gridRoot(), 1_000, impostor.sign(statement.signedBytes()));
        assertFalse(lower.verify());
        // A's honest key signing a false sum verifies, but the logs give it away.
        var lie = PeerStatement.decode(bytes);
        var falseSums = signed(a.identity, lie, new PeerStatement.Sums(1, 0));
        assertTrue(falseSums.verify());
        assertTrue(falseSums.mismatch(a.entries(), b.entries()).orElseThrow().contains("issuer's log folds"));
        assertTrue(statement.mismatch(c.entries(), b.entries()).isPresent(), "another node's log");
        assertTrue(statement.mismatch(a.entries(), List.of()).isPresent(), "a log cut short");
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> PeerStatement.decode(trailing));
    }

    static PeerStatement signed(NodeIdentity issuer, PeerStatement s, PeerStatement.Sums issuerSays) {
        var unsigned = new PeerStatement(s.issuer(), s.issuerKey(), s.peer(), issuerSays, s.peerSays(), s.issuerLogSize(),
                s.issuerLogRoot(), s.peerLogSize(), s.peerLogRoot(), s.gridRoot(), s.issuedAt(), new byte[64]);
        return new PeerStatement(s.issuer(), s.issuerKey(), s.peer(), issuerSays, s.peerSays(), s.issuerLogSize(),
                s.issuerLogRoot(), s.peerLogSize(), s.peerLogRoot(), s.gridRoot(), s.issuedAt(), issuer.sign(unsigned.signedBytes()));
    }

    @Test
    void accountsThatOnlyLookLikePeersAreNotFolded() {
        assertEquals(Optional.empty(), PeerBalances.peerOf("peer:node-ABC", id(a)));
        assertEquals(Optional.empty(), PeerBalances.peerOf("peer:" + id(a), id(a)), "a node is not its own peer");
        assertEquals(Optional.empty(), PeerBalances.peerOf("peer:" + id(b) + "x", id(a)));
        assertEquals(Optional.of(id(b)), PeerBalances.peerOf("peer:" + id(b), id(a)));
    }
}
