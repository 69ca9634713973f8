package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransfersTest {
    @TempDir Path dir;
    Ledger ledger;

    @BeforeEach
    void open() {
        ledger = Fixtures.open(dir, new Fixtures.ManualClock());
        ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(1).publicKey()));
        ledger.openAccount(AccountSpec.agent("bob", Fixtures.key(2).publicKey()));
        ledger.openAccount(AccountSpec.system("pool", AccountKind.POOL));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    long balance(String id) {
        return ledger.account(id).orElseThrow().balance();
    }

    LedgerError refusal(TransferRequest request) {
        return assertThrows(LedgerException.class, () -> ledger.transfer(request)).error();
    }

    @Test
    void singleTransferMovesExactlyTheAmount() {
        Transfer t = ledger.transfer(TransferRequest.single("t1", "alice", "bob", 250 * CU + 1, TransferCode.UNSPECIFIED));
        assertEquals(Phase.SINGLE, t.phase());
        assertEquals(750 * CU - 1, balance("alice"));
        assertEquals(1_250 * CU + 1, balance("bob"));
        assertEquals(t, ledger.findTransfer(t.id()).orElseThrow());
    }

    @Test
    void anAccountCannotSpendMoreThanItHas() {
        assertEquals(LedgerError.INSUFFICIENT_FUNDS, refusal(TransferRequest.single("t", "alice", "bob", 1_000 * CU + 1, 0)));
        assertEquals(LedgerError.INSUFFICIENT_FUNDS, refusal(TransferRequest.single("t", "pool", "bob", 1, 0)));
        ledger.transfer(TransferRequest.single("all", "alice", "bob", 1_000 * CU, 0));
        assertEquals(0, balance("alice"));
    }

    @Test
    void retryWithSameKeyAndFieldsReturnsTheFirstTransfer() {
        var request = TransferRequest.single("pay-1", "alice", "bob", 10 * CU, 0);
        Transfer first = ledger.transfer(request);
        long transfers = ledger.transferCount();
        Transfer again = ledger.transfer(request);
        assertEquals(first, again);
        assertEquals(transfers, ledger.transferCount());
        assertEquals(990 * CU, balance("alice"));
    }

    @Test
    void sameKeyWithOtherFieldsIsRefused() {
        ledger.transfer(TransferRequest.single("pay-1", "alice", "bob", 10 * CU, 0));
        assertEquals(LedgerError.EXISTS_WITH_DIFFERENT_FIELDS, refusal(TransferRequest.single("pay-1", "alice", "bob", 11 * CU, 0)));
        assertEquals(LedgerError.EXISTS_WITH_DIFFERENT_FIELDS, refusal(TransferRequest.single("pay-1", "bob", "alice", 10 * CU, 0)));
        assertEquals(990 * CU, balance("alice"));
    }

    @Test
    void aRefusedTransferDoesNotConsumeItsKey() {
        assertEquals(LedgerError.INSUFFICIENT_FUNDS, refusal(TransferRequest.single("k", "alice", "bob", 2_000 * CU, 0)));
        ledger.transfer(TransferRequest.single("k", "alice", "bob", 20 * CU, 0));
        assertEquals(980 * CU, balance("alice"));
    }

    @Test
    void badInputIsRefusedWithAClearCode() {
        assertEquals(LedgerError.AMOUNT_MUST_BE_POSITIVE, assertThrows(LedgerException.class,
                () -> TransferRequest.single("k", "alice", "bob", 0, 0)).error());
        assertEquals(LedgerError.AMOUNT_MUST_BE_POSITIVE, assertThrows(LedgerException.class,
                () -> TransferRequest.single("k", "alice", "bob", -5, 0)).error());
        assertEquals(LedgerError.AMOUNT_TOO_LARGE, assertThrows(LedgerException.class,
                () -> TransferRequest.single("k", "alice", "bob", Long.MAX_VALUE, 0)).error());
        assertEquals(LedgerError.ACCOUNTS_MUST_BE_DIFFERENT, assertThrows(LedgerException.class,
                () -> TransferRequest.single("k", "alice", "alice", 1, 0)).error());
        assertEquals(LedgerError.INVALID_IDEMPOTENCY_KEY, assertThrows(LedgerException.class,
                () -> TransferRequest.single("", "alice", "bob", 1, 0)).error());
        assertEquals(LedgerError.INVALID_IDEMPOTENCY_KEY, assertThrows(LedgerException.class,
                () -> TransferRequest.single("k".repeat(129), "alice", "bob", 1, 0)).error());
        assertEquals(LedgerError.INVALID_IDEMPOTENCY_KEY, refusal(TransferRequest.single("~trade:x", "alice", "bob", 1, 0)));
        assertEquals(LedgerError.ACCOUNT_NOT_FOUND, refusal(TransferRequest.single("k", "alice", "nobody", 1, 0)));
        assertEquals(LedgerError.ACCOUNT_NOT_FOUND, refusal(TransferRequest.single("k", "nobody", "bob", 1, 0)));
        assertEquals(1_000 * CU, balance("alice"));
        ledger.invariants().check();
    }

    @Test
    void theTreasuryMayGoNegativeAndOverflowIsRefused() {
        ledger.transfer(TransferRequest.single("issue", "treasury", "pool", Limits.MAX_AMOUNT, 0));
        for (int i = 0; i < 8; i++) ledger.transfer(TransferRequest.single("issue" + i, "treasury", "pool", Limits.MAX_AMOUNT, 0));
        assertEquals(LedgerError.OVERFLOW, refusal(TransferRequest.single("too-much", "treasury", "pool", Limits.MAX_AMOUNT, 0)));
        ledger.invariants().check();
    }

    @Test
    void linkedTransfersSucceedOrFailTogether() {
        var ok = List.of(TransferRequest.single("a", "alice", "bob", 100 * CU, 0),
                TransferRequest.single("b", "bob", "pool", 50 * CU, 0));
        List<Transfer> done = ledger.transferLinked(ok);
        assertEquals(2, done.size());
        assertEquals(50 * CU, balance("pool"));

        var failing = List.of(TransferRequest.single("c", "alice", "bob", 100 * CU, 0),
                TransferRequest.single("d", "pool", "bob", 51 * CU, 0));
        long before = ledger.transferCount();
        var e = assertThrows(LedgerException.class, () -> ledger.transferLinked(failing));
        assertEquals(LedgerError.INSUFFICIENT_FUNDS, e.error());
        assertEquals(before, ledger.transferCount());
        assertEquals(900 * CU, balance("alice"));
        assertEquals(1_050 * CU, balance("bob"));
        ledger.transfer(TransferRequest.single("c", "alice", "bob", 1, 0));
    }

    @Test
    void aRepeatedChainIsAnsweredWithTheOriginals() {
        var chain = List.of(TransferRequest.single("a", "alice", "bob", 1 * CU, 0),
                TransferRequest.single("b", "bob", "pool", 1 * CU, 0));
        assertEquals(ledger.transferLinked(chain), ledger.transferLinked(chain));
        var mixed = List.of(TransferRequest.single("a", "alice", "bob", 1 * CU, 0),
                TransferRequest.single("new", "bob", "pool", 1 * CU, 0));
        assertEquals(LedgerError.EXISTS_WITH_DIFFERENT_FIELDS,
                assertThrows(LedgerException.class, () -> ledger.transferLinked(mixed)).error());
        var duplicate = List.of(TransferRequest.single("x", "alice", "bob", 1, 0), TransferRequest.single("x", "alice", "bob", 1, 0));
        assertEquals(LedgerError.INVALID_IDEMPOTENCY_KEY,
                assertThrows(LedgerException.class, () -> ledger.transferLinked(duplicate)).error());
        assertEquals(999 * CU, balance("alice"));
    }
}
