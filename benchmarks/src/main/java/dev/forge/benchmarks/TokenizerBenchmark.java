package dev.forge.benchmarks;

import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import dev.forge.inference.TokenizerBenchmarkEncoders;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one prompt with Forge's BPE merge loop ({@code BpeEncoder}) and with jlama 0.8.4's
 * own ({@code AbstractModel.encodePrompt}), on the same loaded model (FORGE_TEST_MODEL, default
 * models/stories260K), in one run. On every input both are timed on, both give the same tokens
 * (TokenizerBenchmarkTest), so both do the same work. Score: milliseconds per prompt.
 *
 * <p>jlama's loop is quadratic, so it runs only the sizes where one call stays in seconds
 * ({@link JlamaInput}); Forge's runs every size ({@link ForgeInput}). Five warm-up iterations:
 * with two, JIT compilation under load was still in the measured ones.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TokenizerBenchmark {

    /** One loaded model and a prompt already in the encoders' symbols. */
    @State(Scope.Benchmark)
    public abstract static class Input {
        TokenizerBenchmarkEncoders encoders;
        String symbols;

        abstract String name();

        @Setup
        public void load() throws IOException {
            var model = ModelSupport.loadModel(TokenizerBenchmarkInputs.modelFolder().toFile(),
                    Files.createTempDirectory("tokenizer-bench").toFile(), DType.F32, DType.I8, Optional.empty(), Optional.empty());
            encoders = new TokenizerBenchmarkEncoders(model);
            symbols = encoders.symbols(TokenizerBenchmarkInputs.text(name()));
        }
    }

    public static class ForgeInput extends Input {
        @Param({"english-1K", "english-4K", "english-16K", "english-128K", "repeated-1K", "repeated-4K", "repeated-16K",
                "repeated-128K"})
        public String input;

        @Override
        String name() {
            return input;
        }
    }

    public static class JlamaInput extends Input {
        @Param({"english-1K", "english-4K", "repeated-1K", "repeated-4K"})
        public String input;

        @Override
        String name() {
            return input;
        }
    }

    @Benchmark
    public int[] forge(ForgeInput in) {
        return in.encoders.forge(in.symbols);
    }

    @Benchmark
    public int[] jlama(JlamaInput in) {
        return in.encoders.jlama(in.symbols);
    }
}
