package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

class DurabilityTest {
    @TempDir Path dir;
    Fixtures.ManualClock clock = new Fixtures.ManualClock();
    Ed25519.KeyPair aliceKey = Fixtures.key(1);
    Ed25519.KeyPair nodeKey = Fixtures.key(2);

    long fill(Ledger ledger) {
        ledger.openAccount(AccountSpec.agent("alice", aliceKey.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", nodeKey.publicKey()));
        Transfer hold = ledger.transfer(TransferRequest.hold("h", "alice", "node", 5 * CU, 30_000, 0));
        for (int i = 1; i <= 20; i++) {
            ledger.settle(Fixtures.trade(aliceKey, "alice", nodeKey, "node", CU, i * 1000L, i, clock.millis() + 60_000), 0);
        }
        ledger.transfer(TransferRequest.single("t", "alice", "node", 7, 0));
        assertEquals(HoldStatus.PENDING, ledger.holdStatus(hold.id()).orElseThrow());
        return hold.id();
    }

    @Test
    void everythingComesBackAfterReopen() {
        List<Account> accounts;
        byte[] root;
        long hold;
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            hold = fill(ledger);
            accounts = ledger.accounts();
            root = ledger.merkleRoot();
        }
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            assertEquals(accounts, ledger.accounts());
            assertArrayEquals(root, ledger.merkleRoot());
            assertEquals(20, ledger.tradeCount());
            assertEquals(HoldStatus.PENDING, ledger.holdStatus(hold).orElseThrow());
            ledger.invariants().check();
            ledger.transfer(TransferRequest.post("p", hold, 5 * CU));
        }
    }

    @Test
    void aSecondOpenOfTheSameFolderSaysInUse() {
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            var e = assertThrows(LedgerStorageException.class, () -> Fixtures.open(dir, clock));
            assertEquals(LedgerStorageException.Reason.IN_USE, e.reason());
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            ledger.invariants().check();
        }
    }

    @Test
    void aFileThatIsNotALedgerIsRefusedAndLeftAlone() throws Exception {
        byte[] garbage = "this is not a ledger".repeat(100).getBytes();
        Files.write(dir.resolve(Journal.FILE_NAME), garbage);
        var e = assertThrows(LedgerStorageException.class, () -> Fixtures.open(dir, clock));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason(), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(dir.resolve(Journal.FILE_NAME)));
    }

    @Test
    void anAlteredRecordIsDetected() {
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            fill(ledger);
        }
        rewriteRecord(3, bytes -> {
            bytes[bytes.length - 5] ^= 1;
            return bytes;
        });
        var e = assertThrows(LedgerStorageException.class, () -> Fixtures.open(dir, clock));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason());
    }

    @Test
    void aMissingLastRecordIsDetected() {
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            fill(ledger);
        }
        try (var db = rawFile()) {
            var journal = journal(db);
            journal.remove(journal.lastKey());
            db.commit();
        }
        var e = assertThrows(LedgerStorageException.class, () -> Fixtures.open(dir, clock));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("head"), e.getMessage());
    }

    @Test
    void aForgedTradeWithAValidChainIsStillRefused() {
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            fill(ledger);
        }
        // Rewrite the whole chain so hashes match, but with a trade signed by the wrong key.
        try (var db = rawFile()) {
            var records = journal(db);
            var meta = db.hashMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).open();
            records.clear();
            meta.clear();
            db.commit();
        }
        try (Journal journal = Journal.open(dir)) {
            journal.append(clock.millis(), List.of(new Command.OpenAccount(AccountSpec.system("treasury", AccountKind.TREASURY)),
                    new Command.OpenAccount(AccountSpec.agent("alice", aliceKey.publicKey())),
                    new Command.OpenAccount(AccountSpec.provider("node", nodeKey.publicKey()))));
            SignedTrade forged = Fixtures.trade(aliceKey, "alice", Fixtures.key(99), "node", CU, 10, 1, clock.millis() + 1000);
            journal.append(clock.millis(), List.of(new Command.SettleTrade(forged, 0)));
        }
        var e = assertThrows(LedgerStorageException.class, () -> Fixtures.open(dir, clock));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    private void rewriteRecord(long sequence, java.util.function.UnaryOperator<byte[]> change) {
        try (var db = rawFile()) {
            var journal = journal(db);
            journal.put(sequence, change.apply(journal.get(sequence)));
            db.commit();
        }
    }

    /** The ledger's MapDB file opened directly, as an attacker or a broken disk would touch it. */
    private DB rawFile() {
        return DBMaker.fileDB(dir.resolve(Journal.FILE_NAME).toFile()).fileChannelEnable().transactionEnable().make();
    }

    private static BTreeMap<Long, byte[]> journal(DB db) {
        return db.treeMap("journal", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().open();
    }
}
