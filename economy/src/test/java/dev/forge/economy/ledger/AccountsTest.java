package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    @TempDir Path dir;
    Ledger ledger;

    @BeforeEach
    void open() {
        ledger = Fixtures.open(dir, new Fixtures.ManualClock());
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void newLedgerHasTreasuryAndFeesAndNothingIssued() {
        assertEquals(AccountKind.TREASURY, ledger.account("treasury").orElseThrow().kind());
        assertEquals(AccountKind.FEES, ledger.account("fees").orElseThrow().kind());
        assertEquals(0, ledger.invariants().issued());
    }

    @Test
    void agentGetsTheFreeTierFromTheTreasuryOnce() {
        AccountResult first = ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(1).publicKey()));
        assertTrue(first.created());
        assertTrue(first.freeTierGranted());
        assertEquals(1_000 * CU, first.account().balance());
        assertEquals(-1_000 * CU, ledger.account("treasury").orElseThrow().balance());

        AccountResult retry = ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(1).publicKey()));
        assertFalse(retry.created());
        assertFalse(retry.freeTierGranted());
        assertEquals(1_000 * CU, ledger.account("alice").orElseThrow().balance());
    }

    @Test
    void freeTierIsPerIdentityNotPerAccountName() {
        ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(1).publicKey()));
        AccountResult again = ledger.openAccount(AccountSpec.agent("alice-2", Fixtures.key(1).publicKey()));
        assertTrue(again.created());
        assertFalse(again.freeTierGranted());
        assertEquals(0, again.account().balance());
        assertEquals(1_000 * CU, ledger.invariants().issued());
    }

    @Test
    void providersGetNoFreeTier() {
        AccountResult provider = ledger.openAccount(AccountSpec.provider("node-1", Fixtures.key(2).publicKey()));
        assertFalse(provider.freeTierGranted());
        assertEquals(0, provider.account().balance());
    }

    @Test
    void sameIdWithOtherFieldsIsRefused() {
        ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(1).publicKey()));
        var e = assertThrows(LedgerException.class,
                () -> ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(9).publicKey())));
        assertEquals(LedgerError.ACCOUNT_EXISTS_WITH_DIFFERENT_FIELDS, e.error());
        e = assertThrows(LedgerException.class,
                () -> ledger.openAccount(AccountSpec.provider("alice", Fixtures.key(1).publicKey())));
        assertEquals(LedgerError.ACCOUNT_EXISTS_WITH_DIFFERENT_FIELDS, e.error());
    }

    @Test
    void badSpecsAreRefusedBeforeTheLedgerSeesThem() {
        assertEquals(LedgerError.INVALID_ACCOUNT_ID, assertThrows(LedgerException.class,
                () -> AccountSpec.agent("", Fixtures.key(1).publicKey())).error());
        assertEquals(LedgerError.INVALID_ACCOUNT_ID, assertThrows(LedgerException.class,
                () -> AccountSpec.agent("a b", Fixtures.key(1).publicKey())).error());
        assertEquals(LedgerError.INVALID_ACCOUNT_ID, assertThrows(LedgerException.class,
                () -> AccountSpec.agent("x".repeat(65), Fixtures.key(1).publicKey())).error());
        assertEquals(LedgerError.INVALID_PUBLIC_KEY, assertThrows(LedgerException.class,
                () -> AccountSpec.agent("bob", new byte[31])).error());
        assertEquals(LedgerError.INVALID_PUBLIC_KEY, assertThrows(LedgerException.class,
                () -> AccountSpec.agent("bob", null)).error());
        assertEquals(4, ledger.accounts().size() + 2, "nothing was written");
    }
}
