package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's data folder under attack or accident: stores deleted or damaged, files exposed, ids that are paths. */
class NodeStateTest {
    @TempDir Path dir;

    Path data() {
        return dir.resolve("node");
    }

    ForgeNode open() {
        return ForgeNode.open(NodeSettings.of(data(), List.of()));
    }

    String startOnceWithAnAgent() {
        try (ForgeNode node = open()) {
            return node.createAgent("ana");
        }
    }

    static void deleteStore(Path folder, String file) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.toList()) if (p.getFileName().toString().startsWith(file)) Files.delete(p);
        }
    }

    void assertRefusesToStartWithout(String store) {
        var e = assertThrows(NodeStartException.class, this::open);
        assertTrue(e.getMessage().contains(store + " is gone"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(data().resolve(store)), "a refused start creates no store");
    }

    @Test
    void aMissingLedgerStopsTheNodeInsteadOfStartingEmpty() throws Exception {
        startOnceWithAnAgent();
        deleteStore(data().resolve("ledger"), "ledger.db");
        assertRefusesToStartWithout("ledger/ledger.db");
    }

    @Test
    void aMissingSafetyStoreStopsTheNodeInsteadOfResettingBudgetsAndTheKillSwitch() throws Exception {
        try (ForgeNode node = open()) {
            node.kill(Actor.operator(), "incident");
        }
        deleteStore(data().resolve("safety"), "safety.db");
        assertRefusesToStartWithout("safety/safety.db");
    }

    @Test
    void aNodeFromBeforeTheManifestIsCheckedByItsIdentities() throws Exception {
        startOnceWithAnAgent();
        Files.delete(data().resolve(DataFolder.MANIFEST));
        deleteStore(data().resolve("ledger"), "ledger.db");
        assertRefusesToStartWithout("ledger/ledger.db");
    }

    @Test
    void deletingTheMarkersTooStillLeavesTheAgentsKeysThatStopTheNode() throws Exception {
        startOnceWithAnAgent();
        Files.delete(data().resolve(DataFolder.MANIFEST));
        Files.delete(data().resolve("operator_token"));
        deleteStore(data().resolve("ledger"), "ledger.db");
        assertRefusesToStartWithout("ledger/ledger.db");
        assertFalse(Files.exists(data().resolve("operator_token")), "a refused start writes no new operator token");
    }

    @Test
    void anOlderCopyOfTheLedgerPutBackStopsTheNode() throws Exception {
        startOnceWithAnAgent();
        Path ledger = data().resolve("ledger");
        Path backup = Files.createDirectory(dir.resolve("backup"));
        copyFiles(ledger, backup);
        try (ForgeNode node = open()) {
            node.createAgent("bea"); // spending after the copy was taken
        }
        deleteStore(ledger, "ledger.db");
        copyFiles(backup, ledger);
        var e = assertThrows(NodeStartException.class, this::open);
        assertTrue(e.getMessage().contains("replaced by an older copy"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void anOlderCopyOfTheSafetyStorePutBackStopsTheNode() throws Exception {
        startOnceWithAnAgent();
        Path safety = data().resolve("safety");
        Path backup = Files.createDirectory(dir.resolve("backup"));
        copyFiles(safety, backup);
        try (ForgeNode node = open()) {
            node.kill(Actor.operator(), "incident"); // the copy would release it
        }
        deleteStore(safety, "safety.db");
        copyFiles(backup, safety);
        var e = assertThrows(NodeStartException.class, this::open);
        assertTrue(e.getMessage().startsWith("the safety store in") && e.getMessage().contains("older copy"), e.getMessage());
    }

    static void copyFiles(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    @Test
    void aDamagedSafetyStoreIsOneLineAtStart() throws Exception {
        startOnceWithAnAgent();
        Path file = data().resolve("safety").resolve("safety.db");
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(100);
        }
        var e = assertThrows(NodeStartException.class, this::open);
        assertTrue(e.getMessage().startsWith("the safety store in "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aDamagedLedgerIsOneLineAtStart() throws Exception {
        startOnceWithAnAgent();
        Path file = data().resolve("ledger").resolve("ledger.db");
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 4);
        }
        var e = assertThrows(NodeStartException.class, this::open);
        assertTrue(e.getMessage().contains("ledger"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void theDataFolderAndEveryStoreAreTheOwnersOnlyAndTightenedOnOpen() throws Exception {
        startOnceWithAnAgent();
        assertOwnerOnly();
        Files.setPosixFilePermissions(data(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data().resolve("ledger"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data().resolve("ledger").resolve("ledger.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data().resolve("safety").resolve("safety.db"), PosixFilePermissions.fromString("rw-rw-rw-"));
        open().close();
        assertOwnerOnly();
    }

    void assertOwnerOnly() throws Exception {
        var others = List.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
        try (Stream<Path> all = Files.walk(data())) {
            for (Path p : all.toList()) {
                var permissions = Files.getPosixFilePermissions(p);
                for (var other : others) assertFalse(permissions.contains(other), p + " is " + permissions);
            }
        }
    }

    @Test
    void creatingZedKeepsTheKeyOfZedDotTmp() {
        String zedTmpToken;
        byte[] zedTmpKey;
        try (ForgeNode node = open()) {
            zedTmpToken = node.createAgent("zed.tmp");
            zedTmpKey = node.identities().agentKey("zed.tmp").orElseThrow().publicKey();
            node.createAgent("zed");
        }
        try (ForgeNode node = open()) {
            assertArrayEquals(zedTmpKey, node.identities().agentKey("zed.tmp").orElseThrow().publicKey());
            assertEquals("zed.tmp", node.identities().actor(zedTmpToken).orElseThrow().id());
            assertEquals(List.of("zed", "zed.tmp"), node.identities().agents());
        }
    }

    @Test
    void idsOfDotsAreRefusedAndLeaveNoGhost() throws Exception {
        try (ForgeNode node = open()) {
            for (String id : new String[] {".", "..", "...", ".ghost"}) {
                assertThrows(IllegalArgumentException.class, () -> node.createAgent(id), id);
                assertTrue(node.ledger().account(id).isEmpty(), id);
            }
        }
        try (ForgeNode node = open(); Stream<Path> files = Files.list(data().resolve("agents"))) {
            assertEquals(List.of(), files.toList(), "no key file, not even a temporary one");
            assertEquals(List.of(), node.identities().agents());
        }
    }

    @Test
    void aCreateTheLedgerRefusesLeavesNoKeyAndNoToken() throws Exception {
        try (ForgeNode node = open()) {
            node.ledger().close(); // the ledger refuses every write from here on
            assertThrows(RuntimeException.class, () -> node.createAgent("late"));
            assertTrue(node.identities().agentKey("late").isEmpty());
            assertFalse(Files.exists(data().resolve("agents").resolve("late")));
        }
    }

    @Test
    void revokedTokensNewTokensAndTheKillRightSurviveARestart() {
        String old = startOnceWithAnAgent();
        String fresh;
        try (ForgeNode node = open()) {
            node.identities().revoke("ana");
            assertTrue(node.identities().actor(old).isEmpty());
            node.identities().setMayKill("ana", false);
        }
        try (ForgeNode node = open()) {
            assertTrue(node.identities().actor(old).isEmpty(), "revoked stays revoked");
            var e = assertThrows(PolicyException.class, () -> node.kill(Actor.agent("ana"), "let me"));
            assertEquals(Refusal.UNAUTHORIZED, e.refusal());
            assertFalse(node.pipeline().killState().active(), "a refused kill changes nothing");
            fresh = node.identities().rotate("ana");
        }
        try (ForgeNode node = open()) {
            assertEquals("ana", node.identities().actor(fresh).orElseThrow().id());
            assertTrue(node.identities().actor(old).isEmpty());
            assertFalse(node.identities().mayKill(Actor.agent("ana")), "a new token does not give the right back");
        }
    }
}
