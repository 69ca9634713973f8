package dev.forge.benchmarks;

import dev.forge.inference.LocalModel;
import dev.forge.inference.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a model (folder checks, jlama's loader, the KV cache), cold in a fresh JVM and
 * warm; at the end of the fork it prints the process's resident memory with the models loaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ModelLoadBenchmark {
    private final Path folder = Path.of(System.getenv().getOrDefault("FORGE_TEST_MODEL", "models/stories260K"));

    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public LocalModel coldLoad() throws IOException {
        return LocalModel.load("stories", folder, Files.createTempDirectory("forge-load"), Tier.Bounds.DEFAULT);
    }

    @TearDown
    public void residentMemory() throws IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        status.lines().filter(line -> line.startsWith("VmRSS")).forEach(line -> System.out.println("\n" + line));
    }
}
