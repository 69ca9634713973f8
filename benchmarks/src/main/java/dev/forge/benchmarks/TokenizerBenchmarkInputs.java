package dev.forge.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * TokenizerBenchmark's prompts, the same on every run: ordinary English of a given size, and
 * one character repeated. Named {@code english-16K} or {@code repeated-16K} (K = 1,024 characters,
 * all ASCII, so also bytes).
 *
 * <p>The repeated character is {@code l}: stories260K has the token {@code ll}, so a run of it
 * is merged pair by pair. A character without a doubled token (such as {@code a} there) makes
 * no merge at all and costs jlama a single scan: not a worst case.
 */
final class TokenizerBenchmarkInputs {
    static final char REPEATED = 'l';
    private static final String[] WORDS = {"the", "a", "little", "girl", "boy", "dog", "cat", "bird", "tree", "park",
            "ball", "sun", "mom", "dad", "friend", "house", "garden", "box", "toy", "cake", "was", "had", "saw", "went",
            "wanted", "liked", "found", "played", "said", "ran", "jumped", "looked", "smiled", "happy", "big", "small",
            "red", "blue", "green", "kind", "sad", "funny", "very", "and", "but", "then", "with", "to", "in", "on", "at",
            "of", "for", "one", "day", "time", "she", "he", "they", "it", "her", "his", "their", "together", "again"};

    private TokenizerBenchmarkInputs() {
    }

    /** The prompt a name stands for. */
    static String text(String name) {
        int dash = name.indexOf('-');
        if (dash < 0 || !name.endsWith("K")) throw new IllegalArgumentException("not an input name: " + name);
        int chars = Integer.parseInt(name.substring(dash + 1, name.length() - 1)) * 1024;
        return switch (name.substring(0, dash)) {
            case "english" -> english(chars);
            case "repeated" -> String.valueOf(REPEATED).repeat(chars);
            default -> throw new IllegalArgumentException("not an input name: " + name);
        };
    }

    /** Sentences of 4 to 12 words from a fixed seed, cut at exactly {@code chars} characters. */
    static String english(int chars) {
        var random = new Random(11);
        StringBuilder out = new StringBuilder(chars + 100);
        while (out.length() < chars) {
            int words = 4 + random.nextInt(9);
            for (int i = 0; i < words; i++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                out.append(i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
            }
            out.append(random.nextInt(4) == 0 ? "!\n" : ". ");
        }
        return out.substring(0, chars);
    }

    /** FORGE_TEST_MODEL if set, else the nearest models/stories260K above the working directory. */
    static Path modelFolder() {
        String named = System.getenv("FORGE_TEST_MODEL");
        if (named != null && !named.isBlank()) return Path.of(named);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("models").resolve("stories260K");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no models/stories260K above " + Path.of("").toAbsolutePath() + " and FORGE_TEST_MODEL unset");
    }
}
