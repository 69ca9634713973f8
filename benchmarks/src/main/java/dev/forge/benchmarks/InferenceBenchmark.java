package dev.forge.benchmarks;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceEngine;
import dev.forge.inference.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same model, prompt and token count through raw jlama ({@code AbstractModel.generate})
 * and through Forge's engine (queue, decode loop, streaming, metering, page clean-up), in one
 * run. The model folder comes from FORGE_TEST_MODEL (default: the repository's models/stories260K, run from the root).
 *
 * <p>Single shots, a bounded number: raw jlama maps KV-cache pages for every new session and
 * never unmaps them, so a long throughput run of it exhausts the process's memory mappings and
 * crashes the JVM (seen here). Score: milliseconds per generation of 200 tokens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 15)
@Measurement(iterations = 40)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class InferenceBenchmark {
    private static final String PROMPT = "Once upon a time";
    private static final int TOKENS = 200;

    private AbstractModel raw;
    private InferenceEngine engine;
    private int promptTokens;

    @Setup
    public void load() throws IOException {
        Path folder = Path.of(System.getenv().getOrDefault("FORGE_TEST_MODEL", "models/stories260K"));
        raw = ModelSupport.loadModel(folder.toFile(), Files.createTempDirectory("raw-jlama").toFile(), DType.F32, DType.I8,
                Optional.empty(), Optional.empty());
        engine = new InferenceEngine(Files.createTempDirectory("forge-engine"), 4);
        engine.load("stories", folder);
        promptTokens = engine.slot("stories").model().encode(new Prompt.Text(PROMPT)).length;
    }

    /** jlama counts the prompt without its start token in {@code ntokens}; it then streams TOKENS tokens. */
    @Benchmark
    public int rawJlama() {
        var response = raw.generate(UUID.randomUUID(), PromptContext.of(PROMPT), 0f, promptTokens - 1 + TOKENS, (t, f) -> { });
        if (response.generatedTokens + 1 != TOKENS) throw new IllegalStateException("raw made " + response.generatedTokens);
        return response.generatedTokens;
    }

    @Benchmark
    public int forgeEngine() {
        Completion completion = engine.generate("stories", GenerationRequest.greedy(PROMPT, TOKENS), t -> { }, () -> false);
        if (completion.completionTokens() != TOKENS) throw new IllegalStateException("forge made " + completion.completionTokens());
        return completion.completionTokens();
    }
}
