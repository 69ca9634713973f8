package dev.forge.node;

import java.nio.file.Files;
import java.nio.file.Path;

/** The trained model the tests run: FORGE_TEST_MODEL if set, else the repository's models/stories260K. */
public final class TestModel {
    private TestModel() {
    }

    public static Path folder() {
        String named = System.getenv("FORGE_TEST_MODEL");
        if (named != null && !named.isBlank()) return Path.of(named);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("models").resolve("stories260K");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no models/stories260K above " + Path.of("").toAbsolutePath() + " and FORGE_TEST_MODEL unset");
    }
}
