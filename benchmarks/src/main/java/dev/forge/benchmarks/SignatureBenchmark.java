package dev.forge.benchmarks;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.SignedTrade;
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

/** Ed25519 (BouncyCastle) on one core, and the full two-signature check of a trade. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SignatureBenchmark {
    private byte[] message;
    private byte[] signature;
    private SignedTrade trade;

    @Setup
    public void setUp() {
        message = SignedTrades.make(1, Long.MAX_VALUE).authorization().signedBytes();
        signature = SignedTrades.CONSUMER.sign(message);
        trade = SignedTrades.make(2, Long.MAX_VALUE);
    }

    @Benchmark
    public byte[] sign() {
        return SignedTrades.CONSUMER.sign(message);
    }

    private Ed25519.PublicKey decoded;

    @Setup
    public void decode() {
        decoded = Ed25519.PublicKey.decode(SignedTrades.CONSUMER.publicKey());
    }

    /** Against a key decoded once, as the ledger does per account. */
    @Benchmark
    public boolean verifyDecodedKey() {
        return decoded.verify(message, signature);
    }

    @Benchmark
    public boolean verify() {
        return Ed25519.verify(SignedTrades.CONSUMER.publicKey(), message, signature);
    }

    private Ed25519.PublicKey providerKey;

    @Setup
    public void decodeProvider() {
        providerKey = Ed25519.PublicKey.decode(SignedTrades.PROVIDER.publicKey());
    }

    /** Both signatures and the binding digest, keys decoded once: what the ledger checks per trade. */
    @Benchmark
    public SignedTrade verifyTrade() {
        trade.verify(decoded, providerKey);
        return trade;
    }
}
