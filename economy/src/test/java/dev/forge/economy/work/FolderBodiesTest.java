package dev.forge.economy.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderBodiesTest {
    @TempDir Path dir;

    @Test
    void aBodyIsStoredUnderItsDigestOnceAndComesBack() throws Exception {
        var bodies = new FolderBodies(dir.resolve("bodies"));
        byte[] body = "Once upon a time".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] digest = bodies.put(body);
        assertArrayEquals(Sha256.hash(body), digest);
        assertEquals(HexFormat.of().formatHex(digest), bodies.path(digest).getFileName().toString());
        assertArrayEquals(body, bodies.fetch(digest).orElseThrow());
        assertArrayEquals(digest, bodies.put(body), "the same body again is the same file");
        try (var files = Files.list(dir.resolve("bodies"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        assertTrue(bodies.fetch(Sha256.hashText("never stored")).isEmpty(), "an unknown digest is gone");
    }

    @Test
    void digestsOfTheWrongSizeAndBodiesTooLargeAreRefused() {
        var bodies = new FolderBodies(dir);
        assertEquals(WorkException.Code.INVALID_FIELD,
                assertThrows(WorkException.class, () -> bodies.fetch(new byte[31])).code());
        assertEquals(WorkException.Code.INVALID_FIELD,
                assertThrows(WorkException.class, () -> bodies.put(new byte[Bodies.MAX_BODY_BYTES + 1])).code());
    }
}
