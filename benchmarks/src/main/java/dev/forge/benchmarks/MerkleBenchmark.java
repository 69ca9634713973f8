package dev.forge.benchmarks;

import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
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

/** The Merkle log at one million trades: append, root, proof, and checking a proof. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class MerkleBenchmark {
    @Param({"1000000"})
    public int leaves;

    private MerkleLog log;
    private byte[] root;
    private InclusionProof proof;
    private byte[] provenLeaf;
    private long counter;

    @Setup
    public void build() {
        log = new MerkleLog();
        for (int i = 0; i < leaves; i++) log.append(leaf(i));
        root = log.root();
        proof = log.proof(leaves / 3);
        provenLeaf = log.leafHash(leaves / 3);
    }

    private static byte[] leaf(long i) {
        return MerkleHash.leaf(ByteBuffer.allocate(8).putLong(i).array());
    }

    /** Grows the tree past one million leaves: the incremental cost of one more trade. */
    @Benchmark
    public long append() {
        return log.append(leaf(leaves + counter++));
    }

    @Benchmark
    public byte[] rootAtMillion() {
        return log.root(leaves);
    }

    @Benchmark
    public InclusionProof proofAtMillion() {
        return log.proof(ThreadLocalRandom.current().nextLong(leaves), leaves);
    }

    @Benchmark
    public boolean verifyProofAtMillion() {
        return proof.verify(provenLeaf, root);
    }
}
