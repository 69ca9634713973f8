package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real nats-server: three nodes' ledgers record cross-node trades as the contract says and
 * publish their logs over their own connections; each node's applier follows the stream over its
 * own connection into its own MapDB folder. Every applier derives the same owes and owed for every
 * pair, and each node's signed statement for each peer verifies, agrees with the mirror statement
 * the peer signs, and matches the two nodes' own ledger logs. A trade one side never recorded shows
 * as the same disagreement on every node.
 */
class PeerMoneyIT {
    static final Duration CONVERGE = Duration.ofMinutes(2);
    @TempDir Path dir;

    record Member(LedgerNode ledger, Connection connection, GridPublisher publisher, GridApplier applier, GridFollower follower,
                  PeerBalances balances) {
        void close() throws InterruptedException {
            follower.close();
            applier.close();
            connection.close();
            ledger.close();
        }
    }

    @Test
    void everyNodeDerivesTheSameMoneyAndStatementsThatVerify() throws Exception {
        try (var cluster = new NatsCluster(dir, 1)) {
            List<Member> members = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) members.add(join(cluster, i));
                LedgerNode a = members.get(0).ledger();
                LedgerNode b = members.get(1).ledger();
                LedgerNode c = members.get(2).ledger();
                var trades = new PeerTrades();
                trades.open(a, b, c);
                trades.buy(a, b, 1_200_000, false);
                trades.buy(b, a, 345_000, false);
                trades.buy(c, a, 10_000, false);
                trades.buy(a, c, 77, false);
                trades.buy(c, b, 5_000, true); // B's ledger lacks it: C and B disagree
                for (Member member : members) member.publisher().publishPending();
                for (Member member : members) awaitAllApplied(member, members);

                PeerBalances.Snapshot first = members.getFirst().balances().snapshot();
                for (Member member : members) {
                    PeerBalances.Snapshot snapshot = member.balances().snapshot();
                    assertEquals(first.recorded(), snapshot.recorded(), "every applier folds the same sums");
                    assertArrayEquals(first.gridRoot(), snapshot.gridRoot());
                    assertEquals(Map.of(), member.applier().refusals());
                }
                assertEquals(new PeerBalances.Recorded(1_200_000, 345_000), first.between(id(a), id(b)).selfSays());
                assertTrue(first.between(id(a), id(b)).agree());
                assertTrue(first.between(id(a), id(c)).agree());
                assertEquals(new PeerBalances.Recorded(5_000, 0), first.between(id(c), id(b)).selfSays());
                assertEquals(PeerBalances.Recorded.NONE, first.between(id(c), id(b)).peerSays());
                assertFalse(first.between(id(b), id(c)).agree());

                for (Member issuer : members) {
                    for (Member peer : members) {
                        if (issuer == peer) continue;
                        checkStatements(issuer, peer);
                    }
                }
            } finally {
                for (Member member : members) member.close();
            }
        }
    }

    /** The issuer's statement for the peer, and the peer's for the issuer: both verify, mirror each other, match the logs. */
    static void checkStatements(Member issuer, Member peer) {
        LedgerNode i = issuer.ledger();
        LedgerNode p = peer.ledger();
        PeerStatement mine = PeerStatement.issue(i.identity, id(p), issuer.balances().snapshot(), System.currentTimeMillis());
        PeerStatement theirs = PeerStatement.decode(
                PeerStatement.issue(p.identity, id(i), peer.balances().snapshot(), System.currentTimeMillis()).encode());
        assertTrue(mine.verify() && theirs.verify());
        assertEquals(new PeerStatement.Sums(mine.issuerSays().owed(), mine.issuerSays().owes()), theirs.peerSays());
        assertEquals(new PeerStatement.Sums(mine.peerSays().owed(), mine.peerSays().owes()), theirs.issuerSays());
        assertEquals(mine.agree(), theirs.agree());
        assertArrayEquals(mine.gridRoot(), theirs.gridRoot());
        assertEquals(Optional.empty(), mine.mismatch(i.entries(), p.entries()));
        assertEquals(Optional.empty(), theirs.mismatch(p.entries(), i.entries()));
    }

    static String id(LedgerNode node) {
        return node.identity.id();
    }

    Member join(NatsCluster cluster, int i) throws Exception {
        var ledger = new LedgerNode(dir.resolve("ledger-" + i), "n" + i, 1);
        Connection connection = GridConnection.connect(cluster.urls(), "node " + i);
        if (i == 0) Grids.ensure(connection, new GridStreams(1, Duration.ofMinutes(2), Duration.ofSeconds(30)));
        var applier = GridApplier.open(dir.resolve("applier-" + i));
        return new Member(ledger, connection, new GridPublisher(connection, ledger.identity, ledger.ledger), applier,
                GridFollower.start(connection, applier), new PeerBalances(applier));
    }

    /** Waits (bounded) until the member's applier holds every member's whole log. */
    static void awaitAllApplied(Member member, List<Member> members) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (true) {
            Map<String, GridRoot.Head> heads = member.applier().heads();
            boolean all = members.stream().allMatch(m -> {
                GridRoot.Head head = heads.get(id(m.ledger()));
                return head != null && head.size() == m.ledger().ledger.logSize();
            });
            if (all) return;
            if (System.nanoTime() > deadline) throw new AssertionError("not applied in " + CONVERGE + ": " + heads.keySet());
            Thread.sleep(100);
        }
    }
}
