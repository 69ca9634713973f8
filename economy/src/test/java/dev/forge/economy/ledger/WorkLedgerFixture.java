package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ledger for work orders: the buyer alice and the node's provider account, a manual
 * clock, a nonce per order; the invariants are checked after every test.
 */
abstract class WorkLedgerFixture {
    static final Ed25519.KeyPair ALICE = Fixtures.key(101);
    static final Ed25519.KeyPair NODE_KEY = Fixtures.key(104);
    static final long FREE = LedgerConfig.DEFAULT_FREE_TIER;

    @TempDir Path dir;
    final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    Ledger ledger;
    long nonce;

    @BeforeEach
    void open() {
        ledger = Fixtures.open(dir, clock);
        ledger.openAccount(AccountSpec.agent("alice", ALICE.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", NODE_KEY.publicKey()));
    }

    @AfterEach
    void close() {
        ledger.invariants().check();
        ledger.close();
    }

    long balance(String id) {
        return ledger.account(id).orElseThrow().balance();
    }

    long available(String id) {
        return ledger.account(id).orElseThrow().available();
    }
}
