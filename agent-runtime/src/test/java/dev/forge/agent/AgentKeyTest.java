package dev.forge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentKeyTest {
    @TempDir
    Path temp;

    @Test
    void theKeyIsMadeOwnerOnlyAndKeptAcrossStarts() throws Exception {
        Path file = temp.resolve("agent").resolve("agent.key");
        var key = AgentKey.openOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(key, AgentKey.openOrCreate(file));
        assertEquals(64, Files.readString(file).strip().length());
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        Path file = temp.resolve("agent.key");
        AgentKey.openOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(AgentException.class, () -> AgentKey.openOrCreate(file));
        assertEquals("key_not_private", e.code());
    }
}
