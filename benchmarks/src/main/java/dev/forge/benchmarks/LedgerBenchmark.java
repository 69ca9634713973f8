package dev.forge.benchmarks;

import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.ledger.Trade;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable, signature-verified trades per second: each operation settles one pre-signed trade
 * (both signatures verified, balances moved, trade recorded, Merkle leaf appended) and
 * returns only when its journal record is synced to disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class LedgerBenchmark {
    private static final int PIPELINE = 256;
    private static final int TRADES = 400_000;

    private Path dir;
    private Ledger ledger;
    private SignedTrade[] trades;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws IOException {
        trades = SignedTrades.batch(TRADES, System.currentTimeMillis() + 3_600_000);
        dir = Files.createTempDirectory("forge-ledger-bench");
        ledger = Ledger.open(dir);
        ledger.openAccount(AccountSpec.agent("agent", SignedTrades.CONSUMER.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", SignedTrades.PROVIDER.publicKey()));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        ledger.invariants().check();
        ledger.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private SignedTrade nextTrade() {
        int index = next.getAndIncrement();
        if (index >= trades.length) throw new IllegalStateException("raise TRADES: the run used them all");
        return trades[index];
    }

    /** One caller that waits for each trade: bounded by one sync per trade. */
    @Benchmark
    @Threads(1)
    public Trade oneWriterWaitingEachTrade() {
        return ledger.settle(nextTrade(), 0);
    }

    /** One caller that keeps 256 trades in flight: one sync serves many trades. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(PIPELINE)
    public Object oneWriterPipelined() {
        CompletableFuture<?>[] inFlight = new CompletableFuture<?>[PIPELINE];
        for (int i = 0; i < PIPELINE; i++) inFlight[i] = ledger.settleAsync(nextTrade(), 0);
        return CompletableFuture.allOf(inFlight).join();
    }

    /** 32 callers, each waiting for its own trade: the writer groups their commits. */
    @Benchmark
    @Threads(32)
    public Trade thirtyTwoWriters() {
        return ledger.settle(nextTrade(), 0);
    }
}
