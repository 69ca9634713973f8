package dev.forge.benchmarks;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import dev.forge.policies.Decision;
import dev.forge.policies.PipelineConfig;
import dev.forge.policies.Refusal;
import dev.forge.policies.SpendAction;
import dev.forge.policies.SpendPipeline;
import dev.forge.policies.SpendRequest;
import dev.forge.policies.VelocityPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One safety decision through the pipeline's public API, as the node makes it: kill switch,
 * budget (rolling hour, lifetime), velocity and breaker checks, the budget reservation under
 * the agent's lock, the ledger hold, queueing the audit entry; then the spend is cancelled
 * (its hold voided, its budget returned) so that the run never reaches a limit.
 */
@State(Scope.Benchmark)
@Fork(1)
public class PipelineBenchmark {
    private Path dir;
    private Ledger ledger;
    private SpendPipeline pipeline;
    private final Actor agent = Actor.agent("agent");
    private SpendRequest request;
    private long keys;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("forge-pipeline-bench");
        ledger = Ledger.open(dir.resolve("ledger"));
        ledger.openAccount(AccountSpec.agent("agent", Ed25519.generate().publicKey()));
        ledger.openAccount(AccountSpec.provider("node", Ed25519.generate().publicKey()));
        var velocity = new VelocityPolicy(Integer.MAX_VALUE, Long.MAX_VALUE / 4, 60_000);
        pipeline = SpendPipeline.open(dir.resolve("safety"), ledger, PipelineConfig.defaults().withVelocity(velocity));
        var policy = new BudgetPolicy(10_000_000, 1_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000);
        pipeline.setPolicy(Actor.operator(), "agent", policy);
        request = new SpendRequest("agent", "node", SpendAction.CHAT, "stories260K", 1_000, "bench");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        pipeline.close();
        ledger.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Decision decide() {
        var fresh = new SpendRequest("agent", "node", SpendAction.CHAT, "stories260K", 1_000, "bench-" + ++keys);
        Decision decision = pipeline.begin(agent, fresh);
        if (!decision.allowed()) throw new IllegalStateException("not allowed: " + decision);
        pipeline.cancel(agent, decision.spend(), "bench"); // give the hold and budget back
        return decision;
    }

    /** Pull the kill switch (flag, synced store write, cancel spends in flight) and see the next spend refused. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 20)
    @Measurement(iterations = 50)
    public Decision killThenFirstRefusal() {
        pipeline.kill(Actor.operator(), "benchmark");
        Decision decision = pipeline.begin(agent, request);
        if (decision.refusal() != Refusal.KILL_SWITCH) throw new IllegalStateException("not refused: " + decision);
        return decision;
    }

    @Setup(Level.Invocation)
    public void releaseKillSwitch() {
        if (pipeline.killState().active()) pipeline.release(Actor.operator(), "benchmark");
    }
}
