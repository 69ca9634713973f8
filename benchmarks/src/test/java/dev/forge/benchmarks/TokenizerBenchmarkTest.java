package dev.forge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import dev.forge.inference.TokenizerBenchmarkEncoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Param;

/** TokenizerBenchmark compares equal work: on every input jlama is timed on, both encoders give the same tokens. */
class TokenizerBenchmarkTest {
    static TokenizerBenchmarkEncoders encoders;

    @BeforeAll
    static void load(@TempDir Path working) throws Exception {
        var model = ModelSupport.loadModel(TokenizerBenchmarkInputs.modelFolder().toFile(), working.toFile(), DType.F32,
                DType.I8, Optional.empty(), Optional.empty());
        encoders = new TokenizerBenchmarkEncoders(model);
    }

    static List<String> inputs(Class<?> state) throws NoSuchFieldException {
        return List.of(state.getField("input").getAnnotation(Param.class).value());
    }

    @Test
    void bothEncodersGiveTheSameTokensOnJlamasInputs() throws Exception {
        for (String name : inputs(TokenizerBenchmark.JlamaInput.class)) {
            String symbols = encoders.symbols(TokenizerBenchmarkInputs.text(name));
            int[] forge = encoders.forge(symbols);
            assertArrayEquals(encoders.jlama(symbols), forge, name);
            // A run of "l" merges into "ll" pairs at best: about half as many tokens as characters.
            assertTrue(forge.length < symbols.length() * 0.6, name + ": the tokenizer merged little (" + forge.length
                    + " tokens for " + symbols.length() + " characters), so the input shows no merge loop");
        }
    }

    @Test
    void jlamasInputsAreForgesSmallestOnes() throws Exception {
        var forge = inputs(TokenizerBenchmark.ForgeInput.class);
        for (String name : inputs(TokenizerBenchmark.JlamaInput.class)) assertTrue(forge.contains(name), name);
    }

    @Test
    void theInputsAreTheirNamedSizeAndTheSameEveryTime() throws Exception {
        for (String name : inputs(TokenizerBenchmark.ForgeInput.class)) {
            String text = TokenizerBenchmarkInputs.text(name);
            int kilo = Integer.parseInt(name.substring(name.indexOf('-') + 1, name.length() - 1));
            assertEquals(kilo * 1024, text.length(), name);
            assertEquals(text, TokenizerBenchmarkInputs.text(name), name);
        }
        // One seeded stream: a shorter English input is the start of a longer one.
        assertTrue(TokenizerBenchmarkInputs.text("english-128K").startsWith(TokenizerBenchmarkInputs.text("english-1K")));
        assertTrue(TokenizerBenchmarkInputs.text("english-1K").matches("[A-Za-z .!\\n]+"), "plain English words");
    }
}
