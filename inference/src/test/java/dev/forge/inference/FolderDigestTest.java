package dev.forge.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine names each model folder once, as it loads, and every reader gets that one digest. */
class FolderDigestTest {
    @Test
    void eachModelIsDigestedOnceAtLoadAndReadAsOften() throws Exception {
        Path root = Files.createTempDirectory("forge-digest");
        Path small = TinyLlama.write(TinyLlama.SMALL, root.resolve("small"));
        Path large = TinyLlama.write(TinyLlama.LARGE, root.resolve("large"));
        List<Path> digested = new ArrayList<>();
        FolderDigest weights = folder -> {
            digested.add(folder);
            return weightsHash(folder);
        };
        try (var engine = new InferenceEngine(root.resolve("work"), 1, TinyModelTest.TEST_TIERS, InferenceGuard.NONE, weights)) {
            LocalModel first = engine.load("small", small);
            engine.load("large", large);
            assertEquals(List.of(small, large), digested, "one digest per load, of the folder that loads");

            byte[] expected = weightsHash(small);
            for (int read = 0; read < 3; read++) assertArrayEquals(expected, engine.slot("small").model().digest());
            first.digest()[0] ^= 1;
            assertArrayEquals(expected, first.digest(), "a reader's copy cannot change the model's digest");
            assertFalse(java.util.Arrays.equals(first.digest(), engine.slot("large").model().digest()));
            assertEquals(2, digested.size(), "reading never hashes the folder again");
        }
        try (var plain = new InferenceEngine(root.resolve("work2"), 1)) {
            assertEquals(0, plain.load("small", small).digest().length, "an engine given no digest names no folder");
        }
    }

    /** A stand-in for Forge's ModelDigest (which this module does not know): SHA-256 of the weights file. */
    private static byte[] weightsHash(Path folder) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(folder.resolve("model.safetensors")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
