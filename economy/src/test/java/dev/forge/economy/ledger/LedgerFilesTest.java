package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's file as an attacker or an accident leaves it: wrong folder, damaged, readable by others. */
class LedgerFilesTest {
    @TempDir Path dir;

    record Run(int status, String out, String err) {}

    static Run tool(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = new LedgerTool(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).runOrReport(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<Path> tree(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.sorted().toList();
        }
    }

    void fill(Path folder) {
        try (Ledger ledger = Ledger.open(folder)) {
            ledger.openAccount(AccountSpec.agent("alice", Fixtures.key(1).publicKey()));
            ledger.openAccount(AccountSpec.agent("bob", Fixtures.key(2).publicKey()));
            for (int i = 0; i < 50; i++) ledger.transfer(TransferRequest.single("t" + i, "alice", "bob", CU, 0));
        }
    }

    @Test
    void checkOnAFolderThatDoesNotExistRefusesAndCreatesNothing() throws Exception {
        Path missing = dir.resolve("no-such-node");
        List<Path> before = tree(dir);
        Run run = tool("check", "--data", missing.toString());
        assertNotEquals(0, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("no ledger in " + missing), run.err());
        assertEquals(before, tree(dir));
        assertFalse(Files.exists(missing));
    }

    @Test
    void checkOnAnEmptyFolderRefusesAndCreatesNothing() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        List<Path> before = tree(dir);
        for (String command : new String[] {"check", "proof"}) {
            Run run = tool(command, "--data", empty.toString(), "--trade", "1");
            assertNotEquals(0, run.status(), command);
            assertEquals(1, run.err().lines().count(), run.err());
        }
        assertEquals(before, tree(dir));
    }

    @Test
    void checkFindsTheLedgerInsideANodesDataFolder() throws Exception {
        fill(dir.resolve("ledger"));
        List<Path> before = tree(dir);
        Run run = tool("check", "--data", dir.toString());
        assertEquals(before, tree(dir), "checking leaves no file behind");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("alice"), run.out());
        assertFalse(Files.exists(dir.resolve(Journal.FILE_NAME)), "no second ledger beside the node's");
    }

    @Test
    void aTruncatedLedgerIsReportedCorruptInOneLine() throws Exception {
        fill(dir);
        Path file = dir.resolve(Journal.FILE_NAME);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 3);
        }
        assertCorrupt();
    }

    @Test
    void aBitFlippedLedgerIsReportedCorruptInOneLine() throws Exception {
        fill(dir);
        Path file = dir.resolve(Journal.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        // In the records, past MapDB's header and catalog: the damage shows when the journal is read.
        for (int i = bytes.length / 2; i < bytes.length; i += 97) bytes[i] ^= (byte) 0x5a;
        Files.write(file, bytes);
        assertCorrupt();
    }

    private void assertCorrupt() throws Exception {
        // A copy for the tool: MapDB keeps the file locked in this JVM when it fails inside its open.
        Path copy = Files.createDirectory(dir.resolve("copy"));
        Files.copy(dir.resolve(Journal.FILE_NAME), copy.resolve(Journal.FILE_NAME));
        var e = assertThrows(LedgerStorageException.class, () -> Ledger.open(dir));
        assertEquals(LedgerStorageException.Reason.CORRUPT, e.reason(), e.toString());
        Run run = tool("check", "--data", copy.toString());
        assertEquals(2, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("forge ledger: the ledger is corrupt") || run.err().contains("not a readable Forge ledger"),
                run.err());
    }

    @Test
    void theLedgerFileIsTheOwnersOnlyAndIsTightenedOnOpen() throws Exception {
        fill(dir);
        Path file = dir.resolve(Journal.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Ledger.open(dir).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void idsThatAreOnlyDotsOrStartWithADotAreRefused() {
        for (String id : new String[] {".", "..", ".hidden", "...", ".tmp"}) {
            assertFalse(AccountSpec.validId(id), id);
            var e = assertThrows(LedgerException.class, () -> AccountSpec.agent(id, Fixtures.key(1).publicKey()));
            assertEquals(LedgerError.INVALID_ACCOUNT_ID, e.error());
        }
        assertTrue(AccountSpec.validId("zed.tmp"));
    }
}
