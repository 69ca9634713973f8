package dev.forge.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.StoreWAL;

/**
 * The CI flake, made deterministic: a journal of {@value #RECORDS} committed records, then the
 * process dies at each write, in turn, of the next commit. MapDB 3.1 alone loses committed
 * records at some of those points (its commit rewrites the store in place after syncing a log
 * it never replays); the journal's {@link RedoVolume} loses none at any point.
 */
class TornCommitTest {
    private static final int RECORDS = 130;

    @TempDir static Path shared;
    private static Path template;
    @TempDir Path dir;

    @BeforeAll
    static void writeTemplate() {
        template = shared.resolve("template");
        try (Journal journal = Journal.open(template)) {
            for (int i = 0; i < RECORDS; i++) journal.append(1_000 + i, List.of());
        }
    }

    @Test
    void mapDbAloneLosesCommittedRecordsWhenKilledInsideItsCommit() throws IOException {
        List<String> outcomes = killAtEveryWrite(this::plainMapDb);
        long lost = outcomes.stream().filter(outcome -> !outcome.startsWith("head ")).count();
        System.err.println("plain MapDB: " + lost + " of " + outcomes.size() + " kill points lose committed records: " + outcomes);
        assertTrue(lost > 0, "the harness must see the failure it guards against: " + outcomes);
    }

    @Test
    void aKillAtAnyWriteOfACommitLosesNoCommittedRecord() throws IOException {
        List<String> outcomes = killAtEveryWrite(folder -> Journal.open(folder, volumes));
        System.err.println("journal: " + outcomes.size() + " kill points: " + outcomes);
        assertTrue(outcomes.size() > 5, "a commit is many writes: " + outcomes);
        for (String outcome : outcomes) {
            assertTrue(outcome.equals("head " + RECORDS) || outcome.equals("head " + (RECORDS + 1)), outcomes.toString());
        }
        assertEquals("head " + (RECORDS + 1), outcomes.getLast(), "a commit that finished is kept");
    }

    @Test
    void aTornRedoFileIsDroppedAndACompleteOneIsApplied() throws IOException {
        Path killed = dir.resolve("killed");
        killAt(killed, folder -> Journal.open(folder, volumes), 0); // redo file synced, store not yet touched
        Path redo = killed.resolve(Journal.FILE_NAME + RedoVolume.SUFFIX);
        byte[] complete = Files.readAllBytes(redo);
        assertTrue(complete.length > 100, "the redo file holds the commit: " + complete.length);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(redo)));
        int step = Math.max(1, complete.length / 60); // every length near the end, where a kill leaves it
        for (int length = 0; length <= complete.length; length += length >= complete.length - 40 ? 1 : step) {
            Path folder = dir.resolve("torn-" + length);
            Files.createDirectories(folder);
            Files.copy(killed.resolve(Journal.FILE_NAME), folder.resolve(Journal.FILE_NAME));
            Files.write(folder.resolve(Journal.FILE_NAME + RedoVolume.SUFFIX), java.util.Arrays.copyOf(complete, length));
            String expected = "head " + (length == complete.length ? RECORDS + 1 : RECORDS);
            assertEquals(expected, reopen(folder), "redo file cut at " + length + " of " + complete.length);
        }
    }

    @Test
    void aCompleteRedoFileThatIsNotOursIsRefused() throws IOException {
        Path folder = dir.resolve("foreign");
        Files.createDirectories(folder);
        Files.copy(template.resolve(Journal.FILE_NAME), folder.resolve(Journal.FILE_NAME));
        byte[] body = new dev.forge.economy.codec.CanonicalWriter().string("forge/other/v1").i32(0).toByteArray();
        byte[] foreign = new dev.forge.economy.codec.CanonicalWriter().fixed(body, body.length)
                .fixed(dev.forge.economy.crypto.Sha256.hash(body), 32).toByteArray();
        Path redo = folder.resolve(Journal.FILE_NAME + RedoVolume.SUFFIX);
        Files.write(redo, foreign);
        var e = assertThrows(LedgerStorageException.class, () -> Journal.open(folder));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("redo file has another tag"), e.getMessage());
        assertTrue(java.util.Arrays.equals(foreign, Files.readAllBytes(redo)), "a refused redo file is left as it was");
    }

    @Test
    void aRedoFileWithoutItsLedgerIsRefusedAndNoLedgerIsMade() throws IOException {
        Path killed = dir.resolve("killed");
        killAt(killed, folder -> Journal.open(folder, volumes), 0);
        Files.delete(killed.resolve(Journal.FILE_NAME));
        var e = assertThrows(LedgerStorageException.class, () -> Journal.open(killed));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason());
        assertTrue(Files.notExists(killed.resolve(Journal.FILE_NAME)), "no ledger is made for a stray redo file");
    }

    private final StoppingVolumes volumes = new StoppingVolumes();

    private interface Opener {
        Journal open(Path folder);
    }

    /** Journal's code over the store DBMaker.fileDB(file).fileChannelEnable().transactionEnable() makes. */
    private Journal plainMapDb(Path folder) {
        var store = StoreWAL.make(folder.resolve(Journal.FILE_NAME).toString(), volumes, 0L, true,
                CC.STORE_DIRECT_CONC_SHIFT, 0L, 0L, false, false, false, true, false);
        return new Journal(new DB(store, true, true, getClass().getClassLoader(), 0));
    }

    /** The outcome of a kill at each write of one commit, in order; the last run is not killed. */
    private List<String> killAtEveryWrite(Opener opener) throws IOException {
        List<String> outcomes = new ArrayList<>();
        for (long writes = 0; ; writes++) {
            Path folder = dir.resolve("kill-" + writes);
            boolean killed = killAt(folder, opener, writes);
            outcomes.add(reopen(folder));
            if (!killed) return outcomes;
        }
    }

    /** Copies the template, opens it with {@code opener} and appends one record, dying after {@code writes}. */
    private boolean killAt(Path folder, Opener opener, long writes) throws IOException {
        Files.createDirectories(folder);
        Files.copy(template.resolve(Journal.FILE_NAME), folder.resolve(Journal.FILE_NAME));
        Journal journal = opener.open(folder);
        try {
            journal.replay(record -> {});
            volumes.stopAfter(writes);
            journal.append(5_000, List.of());
            return false;
        } catch (StoppingVolumes.Killed expected) {
            return true;
        } finally {
            journal.closeQuietly(); // while dead: closing writes nothing more to the file
            volumes.revive();
        }
    }

    /** What a restart finds: "head N" when the journal replays whole, else why it refused. */
    private static String reopen(Path folder) {
        try (Journal journal = Journal.open(folder)) {
            long[] count = {0};
            journal.replay(record -> count[0]++);
            assertEquals(count[0], journal.lastSequence());
            return count[0] >= RECORDS ? "head " + count[0] : "lost: head " + count[0];
        } catch (LedgerStorageException e) {
            return "refused: " + e.getMessage().replaceAll(".*corrupt: ", "").replaceAll("; it was left.*", "");
        } catch (RuntimeException e) {
            return "unreadable: " + e; // Ledger.open refuses these as CORRUPT too
        }
    }
}
