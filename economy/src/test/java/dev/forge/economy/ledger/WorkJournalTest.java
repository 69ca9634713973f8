package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static dev.forge.economy.ledger.WorkDeals.NODE;
import static dev.forge.economy.ledger.WorkDeals.honest;
import static dev.forge.economy.ledger.WorkDeals.order;
import static dev.forge.economy.ledger.WorkDeals.sign;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.work.SignedWorkOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old journals replay unchanged, and work replays to the same state: balances, holds, chain
 * tips, the nonce set and the Merkle root.
 */
class WorkJournalTest {
    static final Ed25519.KeyPair ALICE = Fixtures.key(101);
    static final Ed25519.KeyPair BOB = Fixtures.key(102);
    static final Ed25519.KeyPair NODE_KEY = Fixtures.key(104);
    /** What WriteOldLedger printed when it wrote the fixture with the code before work orders. */
    static final String OLD_ROOT = "33194a71a5d42cba5c10ccd1ee9919f17b3fd9268c89f9d8855b63fc8dea3ef9";

    @TempDir Path dir;

    @Test
    void aLedgerWrittenBeforeWorkOrdersOpensAsItWasAndTakesWork() throws IOException {
        unpackOldLedger();
        var clock = new Fixtures.ManualClock(1_800_000_100_000L);
        List<Account> accountsBefore;
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            assertEquals(OLD_ROOT, HexFormat.of().formatHex(ledger.merkleRoot()));
            assertEquals(List.of(4L, 4L, 11L, 15L), List.of(ledger.tradeCount(), ledger.logSize(), ledger.transferCount(),
                    ledger.journalHead()));
            assertEquals(992_760_000, ledger.account("alice").orElseThrow().balance());
            assertEquals(1_004_930_000, ledger.account("bob").orElseThrow().balance());
            assertEquals(2_310_000, ledger.account("node").orElseThrow().balance());
            assertTrue(ledger.account(AcceptedOrder.ESCROW).isEmpty(), "opening writes nothing");
            accountsBefore = ledger.accounts();
            addWork(ledger, clock, 1);
        }
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            assertEquals(OLD_ROOT, HexFormat.of().formatHex(ledger.merkleRoot(4)), "the old trades are the log's prefix");
            assertTrue(ledger.proof(2, ledger.logSize()).verify(ledger.trade(2).orElseThrow().leafHash(), ledger.merkleRoot()));
            assertEquals(6, ledger.logSize());
            assertEquals(accountsBefore.size() + 1, ledger.accounts().size(), "the work escrow, opened by the first open order");
        }
    }

    @Test
    void tradesThenWorkReplayToTheSameStateAcrossTwoReopens() {
        var clock = new Fixtures.ManualClock();
        Snapshot afterTrades;
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            ledger.openAccount(AccountSpec.agent("alice", ALICE.publicKey()));
            ledger.openAccount(AccountSpec.agent("bob", BOB.publicKey()));
            ledger.openAccount(AccountSpec.provider("node", NODE_KEY.publicKey()));
            for (long n = 1; n <= 3; n++) {
                ledger.settle(Fixtures.trade(ALICE, "alice", NODE_KEY, "node", CU, 10_000 * n, n, clock.millis() + 1_000), 0);
            }
            afterTrades = Snapshot.of(ledger);
        }
        Snapshot afterWork;
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            assertEquals(afterTrades, Snapshot.of(ledger));
            addWork(ledger, clock, 1);
            afterWork = Snapshot.of(ledger);
        }
        Snapshot afterMore;
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            assertEquals(afterWork, Snapshot.of(ledger));
            assertArrayEquals(afterTrades.root(), ledger.merkleRoot(3));
            assertEquals(2, ledger.chainTip("bob").nextIndex());
            addWork(ledger, clock, 100);
            afterMore = Snapshot.of(ledger);
        }
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            assertEquals(afterMore, Snapshot.of(ledger));
            assertEquals(4, ledger.chainTip("bob").nextIndex());
            ledger.invariants().check();
            // The nonce set survived: every nonce used above is refused again.
            for (long n : List.of(1L, 2L, 3L, 100L, 101L, 102L)) {
                SignedWorkOrder again = order(ALICE, "alice", "bob", CU, 0, n, clock.millis() + 10_000);
                var e = assertThrows(LedgerException.class, () -> ledger.acceptOrder(again));
                assertEquals(LedgerError.NONCE_REUSED, e.error());
            }
        }
    }

    @Test
    void aForgedAttestationInTheJournalIsRefusedOnOpen() {
        var clock = new Fixtures.ManualClock();
        SignedWorkOrder order = order(ALICE, "alice", "bob", CU, 0, 1, clock.millis() + 60_000);
        long id;
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            ledger.openAccount(AccountSpec.agent("alice", ALICE.publicKey()));
            ledger.openAccount(AccountSpec.agent("bob", BOB.publicKey()));
            id = ledger.acceptOrder(order).id();
        }
        try (Journal journal = Journal.open(dir)) {
            journal.replay(record -> {});
            var forged = sign(honest(order, "bob", dev.forge.economy.work.WorkVerifier.ChainTip.empty(), 5, 5, CU,
                    clock.millis()), Fixtures.key(99));
            journal.append(clock.millis(), List.of(new Command.SettleWork(id, forged, NODE)));
        }
        var e = assertThrows(LedgerStorageException.class, () -> Fixtures.open(dir, clock));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("does not verify (invalid_signature"), e.getMessage());
    }

    @Test
    void anExpiredOrderReplaysAsExpired() {
        var clock = new Fixtures.ManualClock();
        long id;
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            ledger.openAccount(AccountSpec.agent("alice", ALICE.publicKey()));
            ledger.openAccount(AccountSpec.agent("bob", BOB.publicKey()));
            id = ledger.acceptOrder(order(ALICE, "alice", "", CU, CU, 1, clock.millis() + 5_000)).id();
            clock.advance(5_000);
            ledger.expireDueHolds();
        }
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            assertEquals(WorkStatus.EXPIRED, ledger.workStatus(id).orElseThrow());
            assertEquals(ledger.account("alice").orElseThrow().balance(), ledger.account("alice").orElseThrow().available());
            assertEquals(0, ledger.account(AcceptedOrder.ESCROW).orElseThrow().creditsPending());
        }
    }

    /** A named order settled by bob, an open one settled by bob, and a third voided. */
    private static void addWork(Ledger ledger, Fixtures.ManualClock clock, long firstNonce) {
        SignedWorkOrder named = order(ALICE, "alice", "bob", CU, 500, firstNonce, clock.millis() + 60_000);
        SignedWorkOrder open = order(ALICE, "alice", "", CU, 0, firstNonce + 1, clock.millis() + 60_000);
        SignedWorkOrder dropped = order(ALICE, "alice", "bob", CU, 0, firstNonce + 2, clock.millis() + 60_000);
        for (SignedWorkOrder order : List.of(named, open)) {
            long id = ledger.acceptOrder(order).id();
            clock.advance(10);
            ledger.settleWork(id, sign(honest(order, "bob", ledger.chainTip("bob"), 7, 11, CU, clock.millis()), BOB), NODE);
        }
        ledger.voidWork(ledger.acceptOrder(dropped).id());
    }

    private void unpackOldLedger() throws IOException {
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/ledger-before-work/ledger.db.gz"))) {
            Files.copy(in, dir.resolve(Journal.FILE_NAME));
        }
    }

    record Snapshot(List<Account> accounts, long transfers, long log, String rootHex, long bobTip, String bobDigest,
                    List<WorkStatus> statuses) {
        byte[] root() {
            return HexFormat.of().parseHex(rootHex);
        }

        static Snapshot of(Ledger ledger) {
            List<WorkStatus> statuses = new java.util.ArrayList<>();
            for (long id = 1; id <= ledger.transferCount(); id++) ledger.workStatus(id).ifPresent(statuses::add);
            var tip = ledger.chainTip("bob");
            return new Snapshot(ledger.accounts(), ledger.transferCount(), ledger.logSize(),
                    HexFormat.of().formatHex(ledger.merkleRoot()), tip.nextIndex(), HexFormat.of().formatHex(tip.lastDigest()),
                    statuses);
        }
    }
}
