package dev.forge.benchmarks;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.ledger.TransferRequest;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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
 * Durable, verified deliveries per second: each operation settles one accepted work order with
 * a pre-signed attestation (every WorkVerifier check, both signatures included, the post of the
 * hold, the provider's chain advanced, the Merkle leaf appended) and returns only when its
 * journal record is synced. Compare with {@link LedgerBenchmark#oneWriterPipelined}, the trade
 * settle, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class WorkBenchmark {
    private static final int PIPELINE = 256;
    private static final int ORDERS = 200_000;
    private static final String NODE = "bench-node";
    private static final Ed25519.KeyPair BUYER = SignedTrades.CONSUMER;
    private static final Ed25519.KeyPair PROVIDER = SignedTrades.PROVIDER;
    private static final Engine ENGINE = new Engine("jlama", "0.8.4", "panama", "F32", "0.1.0", "bench");
    private static final Replay REPLAY = new Replay(64, 0, 42, List.of());

    private Path dir;
    private Ledger ledger;
    private long[] orderIds;
    private SignedAttestation[] attestations;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("forge-work-bench");
        ledger = Ledger.open(dir);
        ledger.openAccount(AccountSpec.agent("agent", BUYER.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", PROVIDER.publicKey()));
        ledger.transfer(TransferRequest.single("fund", "treasury", "agent", 1_000_000_000_000L, TransferCode.DEPOSIT));
        long expiresAt = System.currentTimeMillis() + 3_600_000;
        SignedWorkOrder[] orders = IntStream.range(0, ORDERS).parallel().mapToObj(i -> order(i, expiresAt))
                .toArray(SignedWorkOrder[]::new);
        orderIds = accept(orders);
        attestations = chain(orders);
    }

    private static SignedWorkOrder order(int i, long expiresAt) {
        byte[] nonce = ByteBuffer.allocate(WorkOrder.NONCE_SIZE).putLong(8, i).array();
        var order = new WorkOrder("agent", "node", WorkKind.INFERENCE_CHAT, "bench", Sha256.hashText("model"), "",
                Sha256.hashText("input " + i), REPLAY, 1_000, 10, nonce, NODE, expiresAt, WorkOrder.Signer.BUYER);
        return SignedWorkOrder.sign(order, BUYER);
    }

    /** Many callers at once, so the writer groups the accepts' commits. */
    private long[] accept(SignedWorkOrder[] orders) throws InterruptedException {
        long[] ids = new long[orders.length];
        try (ExecutorService callers = Executors.newFixedThreadPool(64)) {
            for (int i = 0; i < orders.length; i++) {
                int index = i;
                callers.execute(() -> ids[index] = ledger.acceptOrder(orders[index]).id());
            }
        }
        return ids;
    }

    /** One provider's chain, in order: delivery i must be settled after delivery i - 1. */
    private static SignedAttestation[] chain(SignedWorkOrder[] orders) {
        var out = new SignedAttestation[orders.length];
        var tip = WorkVerifier.ChainTip.empty();
        long now = System.currentTimeMillis();
        for (int i = 0; i < orders.length; i++) {
            WorkOrder o = orders[i].order();
            var attestation = new Attestation(orders[i].digest(), "node", o.modelDigest(), ENGINE, o.replay(),
                    o.inputDigest(), Sha256.hashText("output " + i), 10, 20, "stop", 30, Cu.cost(30, 30), now, now,
                    tip.nextIndex(), tip.lastDigest());
            out[i] = SignedAttestation.sign(attestation, PROVIDER);
            tip = tip.after(out[i]);
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        ledger.invariants().check();
        ledger.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private CompletableFuture<SettledWork> settleNext() {
        int index = next.getAndIncrement();
        if (index >= attestations.length) throw new IllegalStateException("raise ORDERS: the run used them all");
        return ledger.settleWorkAsync(orderIds[index], attestations[index], NODE);
    }

    /** One caller that waits for each delivery: bounded by one sync per delivery. */
    @Benchmark
    @Threads(1)
    public SettledWork oneCallerWaitingEachDelivery() {
        return settleNext().join();
    }

    /** One caller that keeps 256 deliveries in flight: one sync serves many. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(PIPELINE)
    public Object oneCallerPipelined() {
        CompletableFuture<?>[] inFlight = new CompletableFuture<?>[PIPELINE];
        for (int i = 0; i < PIPELINE; i++) inFlight[i] = settleNext();
        return CompletableFuture.allOf(inFlight).join();
    }
}
