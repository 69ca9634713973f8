package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldsTest {
    @TempDir Path dir;
    Fixtures.ManualClock clock = new Fixtures.ManualClock();
    Ledger ledger;

    @BeforeEach
    void open() {
        ledger = Fixtures.open(dir, clock);
        ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(1).publicKey()));
        ledger.openAccount(AccountSpec.provider("node", Fixtures.key(2).publicKey()));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    Account alice() {
        return ledger.account("alice").orElseThrow();
    }

    Transfer hold(String key, long amount) {
        return ledger.transfer(TransferRequest.hold(key, "alice", "node", amount, 60_000, TransferCode.TRADE));
    }

    LedgerError refusal(TransferRequest request) {
        return assertThrows(LedgerException.class, () -> ledger.transfer(request)).error();
    }

    @Test
    void aHoldReservesWithoutMoving() {
        Transfer hold = hold("h", 300 * CU);
        assertEquals(1_000 * CU, alice().balance());
        assertEquals(700 * CU, alice().available());
        assertEquals(300 * CU, ledger.account("node").orElseThrow().creditsPending());
        assertEquals(HoldStatus.PENDING, ledger.holdStatus(hold.id()).orElseThrow());
        assertEquals(LedgerError.INSUFFICIENT_FUNDS, refusal(TransferRequest.hold("h2", "alice", "node", 700 * CU + 1, 1000, 0)));
    }

    @Test
    void postingLessThanTheHoldReturnsTheRest() {
        Transfer hold = hold("h", 300 * CU);
        Transfer post = ledger.transfer(TransferRequest.post("p", hold.id(), 120 * CU));
        assertEquals(120 * CU, post.amount());
        assertEquals("alice", post.debitAccount());
        assertEquals(880 * CU, alice().balance());
        assertEquals(880 * CU, alice().available());
        assertEquals(120 * CU, ledger.account("node").orElseThrow().balance());
        assertEquals(0, ledger.account("node").orElseThrow().creditsPending());
        assertEquals(HoldStatus.POSTED, ledger.holdStatus(hold.id()).orElseThrow());
    }

    @Test
    void aHoldResolvesExactlyOnce() {
        Transfer hold = hold("h", 300 * CU);
        ledger.transfer(TransferRequest.post("p", hold.id(), 300 * CU));
        assertEquals(LedgerError.PENDING_TRANSFER_ALREADY_POSTED, refusal(TransferRequest.post("p2", hold.id(), 1)));
        assertEquals(LedgerError.PENDING_TRANSFER_ALREADY_POSTED, refusal(TransferRequest.voidHold("v", hold.id())));
        Transfer other = hold("h2", 10 * CU);
        ledger.transfer(TransferRequest.voidHold("v2", other.id()));
        assertEquals(LedgerError.PENDING_TRANSFER_ALREADY_VOIDED, refusal(TransferRequest.post("p3", other.id(), 1)));
        assertEquals(700 * CU, alice().balance());
        assertEquals(700 * CU, alice().available());
    }

    @Test
    void postMustNotExceedTheHoldAndMustNameAHold() {
        Transfer hold = hold("h", 300 * CU);
        assertEquals(LedgerError.EXCEEDS_PENDING_AMOUNT, refusal(TransferRequest.post("p", hold.id(), 300 * CU + 1)));
        assertEquals(LedgerError.PENDING_TRANSFER_NOT_FOUND, refusal(TransferRequest.post("p", 999, 1)));
        Transfer single = ledger.transfer(TransferRequest.single("s", "alice", "node", 1, 0));
        assertEquals(LedgerError.PENDING_TRANSFER_NOT_FOUND, refusal(TransferRequest.post("p", single.id(), 1)));
        assertEquals(LedgerError.INVALID_TIMEOUT, assertThrows(LedgerException.class,
                () -> TransferRequest.hold("h", "alice", "node", 1, 0, 0)).error());
        assertEquals(LedgerError.INVALID_TIMEOUT, assertThrows(LedgerException.class,
                () -> TransferRequest.hold("h", "alice", "node", 1, Limits.MAX_HOLD_TIMEOUT_MILLIS + 1, 0)).error());
    }

    @Test
    void anExpiredHoldCannotBePostedAndIsReleased() {
        Transfer hold = hold("h", 300 * CU);
        clock.advance(59_999);
        assertEquals(0, ledger.expireDueHolds());
        clock.advance(1);
        assertEquals(LedgerError.PENDING_TRANSFER_EXPIRED, refusal(TransferRequest.post("p", hold.id(), 1)));
        ledger.expireDueHolds(); // the writer may already have expired it at the start of a batch
        assertEquals(HoldStatus.EXPIRED, ledger.holdStatus(hold.id()).orElseThrow());
        assertEquals(1_000 * CU, alice().available());
        assertEquals(LedgerError.PENDING_TRANSFER_EXPIRED, refusal(TransferRequest.voidHold("v", hold.id())));
        ledger.invariants().check();
    }

    @Test
    void holdsExpireOnTheirOwnOnALiveSchedule(@TempDir Path other) throws Exception {
        try (Ledger live = Fixtures.open(other, InstantSource.system())) {
            live.openAccount(AccountSpec.agent("carol", Fixtures.key(3).publicKey()));
            live.openAccount(AccountSpec.provider("node", Fixtures.key(2).publicKey()));
            Transfer hold = live.transfer(TransferRequest.hold("h", "carol", "node", 5 * CU, 100, 0));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (live.holdStatus(hold.id()).orElseThrow() == HoldStatus.PENDING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(HoldStatus.EXPIRED, live.holdStatus(hold.id()).orElseThrow());
            assertEquals(1_000 * CU, live.account("carol").orElseThrow().available());
        }
    }

    @Test
    void expiryIsReplayedAfterRestart() {
        Transfer hold = hold("h", 300 * CU);
        clock.advance(60_000);
        ledger.expireDueHolds();
        ledger.close();
        ledger = Fixtures.open(dir, clock);
        assertEquals(HoldStatus.EXPIRED, ledger.holdStatus(hold.id()).orElseThrow());
        assertEquals(1_000 * CU, alice().available());
    }
}
