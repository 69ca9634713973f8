package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forge.economy.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * The journal is a file format: a journal an earlier Forge wrote must replay to the same state.
 * {@code journal-v1.golden} holds the raw records of {@link #writeHistory}, written once by the
 * code of December 2026 (before enums had explicit codes); it is never regenerated to make a
 * test pass. Its format: a 4-byte record count, then each record as a 4-byte length and its bytes.
 */
class JournalCompatibilityTest {
    private static final String GOLDEN = "journal-v1.golden";

    @TempDir Path dir;

    /** Every account kind, every phase, a linked chain, a trade on a hold and an expiry. */
    static void writeHistory(Ledger ledger, Fixtures.ManualClock clock) {
        var aliceKey = Fixtures.key(1);
        var nodeKey = Fixtures.key(2);
        ledger.openAccount(AccountSpec.agent("alice", aliceKey.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", nodeKey.publicKey()));
        ledger.openAccount(AccountSpec.system("pool", AccountKind.POOL));
        ledger.openAccount(AccountSpec.system("escrow", AccountKind.ESCROW));
        clock.advance(1_000);
        ledger.transfer(TransferRequest.single("deposit", "alice", "pool", 10 * CU, TransferCode.DEPOSIT));
        Transfer collateral = ledger.transfer(TransferRequest.hold("collateral", "alice", "escrow", 20 * CU, 60_000,
                TransferCode.COLLATERAL));
        ledger.transfer(TransferRequest.post("collateral-post", collateral.id(), 15 * CU));
        Transfer voided = ledger.transfer(TransferRequest.hold("chat-void", "alice", "node", 5 * CU, 60_000, TransferCode.TRADE));
        ledger.transfer(TransferRequest.voidHold("chat-void-void", voided.id()));
        Transfer chat = ledger.transfer(TransferRequest.hold("chat", "alice", "node", 30 * CU, 60_000, TransferCode.TRADE));
        ledger.settle(Fixtures.trade(aliceKey, "alice", nodeKey, "node", 30 * CU, 12 * CU, 1, clock.millis() + 60_000), chat.id());
        ledger.transferLinked(List.of(
                TransferRequest.single("loan", "pool", "alice", 4 * CU, TransferCode.LOAN),
                TransferRequest.single("repay", "alice", "pool", 1 * CU, TransferCode.REPAYMENT)));
        ledger.transfer(TransferRequest.hold("expiring", "alice", "node", 1 * CU, 1_000, TransferCode.TRADE));
        clock.advance(2_000);
        ledger.expireDueHolds();
    }

    @Test
    void theGoldenJournalStillReplays() throws IOException {
        install(dir, golden());
        try (Ledger ledger = Fixtures.open(dir, new Fixtures.ManualClock(1_900_000_000_000L))) {
            assertEquals(AccountKind.TREASURY, ledger.account(LedgerState.TREASURY).orElseThrow().kind());
            assertEquals(AccountKind.FEES, ledger.account(LedgerState.FEES).orElseThrow().kind());
            assertEquals(AccountKind.AGENT, ledger.account("alice").orElseThrow().kind());
            assertEquals(AccountKind.PROVIDER, ledger.account("node").orElseThrow().kind());
            assertEquals(AccountKind.POOL, ledger.account("pool").orElseThrow().kind());
            assertEquals(AccountKind.ESCROW, ledger.account("escrow").orElseThrow().kind());
            assertEquals(15 * CU, ledger.account("escrow").orElseThrow().balance());
            assertEquals(7 * CU, ledger.account("pool").orElseThrow().balance());
            assertEquals(1, ledger.tradeCount());
            assertEquals(List.of(HoldStatus.POSTED, HoldStatus.VOIDED, HoldStatus.POSTED, HoldStatus.EXPIRED),
                    holdStatuses(ledger));
            ledger.invariants().check();
        }
    }

    @Test
    void theSameHistoryStillWritesTheGoldenBytes() throws IOException {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            writeHistory(ledger, clock);
        }
        List<byte[]> written = records(dir);
        List<byte[]> golden = golden();
        assertEquals(golden.size(), written.size());
        for (int i = 0; i < golden.size(); i++) assertArrayEquals(golden.get(i), written.get(i), "record " + (i + 1));
    }

    @Test
    void everyGoldenRecordReadsBackToItsOwnBytes() throws IOException {
        for (byte[] bytes : golden()) assertArrayEquals(bytes, JournalRecord.decode(bytes).encode());
    }

    /** Run once, by hand, to create the fixture: {@code -Dforge.golden.write=true -Dtest=JournalCompatibilityTest}. */
    @Test
    @EnabledIfSystemProperty(named = "forge.golden.write", matches = "true")
    void writeGolden() throws IOException {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        try (Ledger ledger = Fixtures.open(dir, clock)) {
            writeHistory(ledger, clock);
        }
        List<byte[]> records = records(dir);
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(records.size());
            for (byte[] record : records) {
                out.writeInt(record.length);
                out.write(record);
            }
        }
        Path target = Path.of("src/test/resources/dev/forge/economy/ledger", GOLDEN);
        Files.createDirectories(target.getParent());
        Files.write(target, bytes.toByteArray());
    }

    private static List<HoldStatus> holdStatuses(Ledger ledger) {
        List<HoldStatus> statuses = new ArrayList<>();
        for (long id = 1; id <= ledger.transferCount(); id++) {
            Transfer transfer = ledger.findTransfer(id).orElseThrow();
            if (transfer.phase() == Phase.PENDING) statuses.add(ledger.holdStatus(id).orElseThrow());
        }
        return statuses;
    }

    private static List<byte[]> golden() throws IOException {
        try (InputStream stream = JournalCompatibilityTest.class.getResourceAsStream(GOLDEN);
             var in = new DataInputStream(stream)) {
            int count = in.readInt();
            List<byte[]> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) records.add(in.readNBytes(in.readInt()));
            return records;
        }
    }

    /** The journal's records as MapDB holds them, read without the ledger's code. */
    private static List<byte[]> records(Path directory) {
        try (DB db = mapDb(directory)) {
            Map<Long, byte[]> journal = journal(db);
            List<byte[]> records = new ArrayList<>();
            for (long sequence = 1; journal.containsKey(sequence); sequence++) records.add(journal.get(sequence));
            return records;
        }
    }

    /** Writes records and their head as the journal lays them out in {@code ledger.db}. */
    private static void install(Path directory, List<byte[]> records) {
        try (DB db = mapDb(directory)) {
            Map<Long, byte[]> journal = journal(db);
            for (int i = 0; i < records.size(); i++) journal.put(i + 1L, records.get(i));
            byte[] lastHash = Sha256.hash(records.getLast());
            byte[] head = new dev.forge.economy.codec.CanonicalWriter(48).i64(records.size()).fixed(lastHash, Sha256.SIZE)
                    .toByteArray();
            db.hashMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen().put("head", head);
            db.commit();
        }
    }

    private static DB mapDb(Path directory) {
        return DBMaker.fileDB(directory.resolve(Journal.FILE_NAME).toFile()).fileChannelEnable().transactionEnable().make();
    }

    private static Map<Long, byte[]> journal(DB db) {
        return db.treeMap("journal", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
    }
}
