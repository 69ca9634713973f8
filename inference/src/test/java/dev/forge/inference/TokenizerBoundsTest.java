package dev.forge.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile prompt cannot pin the CPU: what cannot fit the context is refused before it is
 * tokenized, and tokenizing what fits costs O(n log n) pair look-ups, with the same tokens as jlama.
 */
class TokenizerBoundsTest {
    static final String[] WORDS = {"Once", " upon", " a", " time", " there", " was", " the", " forge", " café", " 日本",
            " 🙂", "\n", "  ", ",", ".", "!", "Lily", " little", " girl", "<|user|>", "<0x41>", "zzz", "\t"};
    static Path root;
    static LocalModel small;
    static LocalModel bytes;

    @BeforeAll
    static void load() throws Exception {
        root = Files.createTempDirectory("forge-tokenizer-test");
        small = LocalModel.load("small", TinyLlama.write(TinyLlama.SMALL, root.resolve("small")), root.resolve("w1"),
                Tier.Bounds.DEFAULT);
        bytes = LocalModel.load("bytes", TinyLlama.write(TinyLlama.SMALL, TinyLlama.Style.BYTE_LEVEL, root.resolve("bytes")),
                root.resolve("w2"), Tier.Bounds.DEFAULT);
    }

    @AfterAll
    static void close() {
        if (small != null) small.close();
        if (bytes != null) bytes.close();
    }

    static String text(Random random, int chars) {
        StringBuilder out = new StringBuilder();
        while (out.length() < chars) out.append(WORDS[random.nextInt(WORDS.length)]);
        return out.toString();
    }

    static AbstractModel raw(Path folder) throws Exception {
        return ModelSupport.loadModel(folder.toFile(), Files.createTempDirectory(root, "raw").toFile(), DType.F32, DType.I8,
                Optional.empty(), Optional.empty());
    }

    @Test
    void theLinearEncoderGivesJlamasTokens() throws Exception {
        var folders = List.of(root.resolve("small"), root.resolve("bytes"));
        String stories = System.getenv("FORGE_TEST_MODEL");
        var all = stories == null ? folders : List.of(folders.get(0), folders.get(1), Path.of(stories));
        var random = new Random(7);
        for (Path folder : all) {
            AbstractModel jlama = raw(folder);
            var encoder = new BpeEncoder(jlama);
            boolean byteLevel = ByteLevel.usedBy(jlama.getTokenizer());
            for (int i = 0; i < 40; i++) {
                String text = text(random, 1 + random.nextInt(400));
                String symbols = byteLevel ? ByteLevel.toSymbols(text) : text;
                assertArrayEquals(jlama.encodePrompt(PromptContext.of(symbols)), encoder.encodePrompt(symbols),
                        folder.getFileName() + ": " + text);
            }
        }
    }

    @Test
    void tokenizingWorkGrowsLikeNLogN() {
        String text = text(new Random(3), 16_000);
        for (LocalModel model : List.of(small, bytes)) {
            long one = work(model, text.substring(0, 8_000));
            long two = work(model, text);
            assertTrue(two < 2.5 * one, model.name() + ": doubling the prompt did not double the work: " + one + " -> " + two);
            assertTrue(two < 16_000L * 8, model.name() + ": " + two + " pair look-ups for 16,000 characters");
        }
    }

    static long work(LocalModel model, String text) {
        long before = model.tokenizerWork();
        model.encode(new Prompt.Text(text));
        return model.tokenizerWork() - before;
    }

    @Test
    void aPromptThatCannotFitIsRefusedBeforeItIsTokenized() {
        long before = small.tokenizerWork();
        String huge = "a".repeat(Prompt.MAX_CHARS);
        assertTrue(huge.length() > small.maxPromptChars());
        var refused = assertThrows(InferenceException.class, () -> small.encode(new Prompt.Text(huge)));
        assertEquals(InferenceException.Code.PROMPT_TOO_LONG, refused.code(), refused.getMessage());
        var chat = new Prompt.Chat(List.of(ChatMessage.user(huge.substring(0, 600_000))), List.of());
        assertEquals(InferenceException.Code.PROMPT_TOO_LONG,
                assertThrows(InferenceException.class, () -> small.encode(chat)).code());
        assertEquals(before, small.tokenizerWork(), "nothing was tokenized");
    }

    @Test
    void theBoundIsTheContextTimesTheLongestToken() {
        assertEquals((long) small.contextLength() * longest(root.resolve("small")), small.maxPromptChars());
        String longest = "a".repeat((int) small.maxPromptChars());
        assertTrue(small.encode(new Prompt.Text(longest)).length > 0, "up to the bound, the tokens decide");
        var refused = assertThrows(InferenceException.class, () -> small.encode(new Prompt.Text(longest + "a")));
        assertEquals(InferenceException.Code.PROMPT_TOO_LONG, refused.code());
    }

    static int longest(Path folder) {
        try {
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(folder.resolve("tokenizer.json").toFile());
            int max = 1;
            for (var names = tree.path("model").path("vocab").fieldNames(); names.hasNext(); ) max = Math.max(max, names.next().length());
            for (var added : tree.path("added_tokens")) max = Math.max(max, added.path("content").asText().length());
            return max;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
