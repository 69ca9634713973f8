package dev.forge.policies;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
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
 * One safety decision: kill switch, budget (rolling hour, lifetime), velocity and breaker
 * checks, the budget reservation under the agent's lock, and queueing the audit entry.
 * The ledger hold that follows an allowed decision is measured by LedgerBenchmark.
 * Lives in the policies package to reach the decision without the hold.
 */
@State(Scope.Benchmark)
@Fork(1)
public class PipelineBenchmark {
    private Path dir;
    private Ledger ledger;
    private SpendPipeline pipeline;
    private SpendRequest request;
    private BudgetPolicy policy;
    private long now;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("forge-pipeline-bench");
        ledger = Ledger.open(dir.resolve("ledger"));
        ledger.openAccount(AccountSpec.agent("agent", Ed25519.generate().publicKey()));
        ledger.openAccount(AccountSpec.provider("node", Ed25519.generate().publicKey()));
        var velocity = new VelocityPolicy(Integer.MAX_VALUE, Long.MAX_VALUE / 4, 60_000);
        pipeline = SpendPipeline.open(dir.resolve("safety"), ledger, PipelineConfig.defaults().withVelocity(velocity));
        policy = new BudgetPolicy(10_000_000, 1_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000);
        request = new SpendRequest("agent", "node", "chat", "stories260K", 1_000, "bench");
        now = System.currentTimeMillis();
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
    public boolean decide() {
        AgentWindow.Charge charge = pipeline.check(request, policy, now);
        boolean recorded = pipeline.audit().record(new AuditLog.Event(now, "agent", "chat", "agent", 1_000, "allowed", "", "bench"));
        AgentWindow window = pipeline.budgetsForBenchmark().window("agent");
        synchronized (window) {
            window.settle(charge, 0); // give the budget back so the run never hits a limit
        }
        return recorded;
    }

    /** Pull the kill switch (flag, synced store write, cancel spends in flight) and see the next spend refused. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 20)
    @Measurement(iterations = 50)
    public Decision killThenFirstRefusal() {
        pipeline.kill(Actor.operator(), "benchmark");
        Decision decision = pipeline.begin(Actor.agent("agent"), request);
        if (decision.refusal() != Refusal.KILL_SWITCH) throw new IllegalStateException("not refused: " + decision);
        return decision;
    }

    @Setup(Level.Invocation)
    public void releaseKillSwitch() {
        if (pipeline.killState().active()) pipeline.release(Actor.operator(), "benchmark");
    }
}
