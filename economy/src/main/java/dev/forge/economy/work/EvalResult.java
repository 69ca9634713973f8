package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The output body of an {@code eval.v1} order ({@value #TAG}): each prompt's output, its
 * digest and whether it scored, then the score. The attestation's {@code output_digest} is the
 * SHA-256 of these bytes; field by field in {@code docs/ledger.md}, "eval.v1".
 *
 * @param inputDigest SHA-256 of the {@link EvalInput} bytes that were run
 * @param passed how many cases scored
 * @param scorePpm {@code passed × 1,000,000 ÷ cases}, rounded down
 */
public record EvalResult(byte[] inputDigest, List<Outcome> outcomes, int passed, int scorePpm) {
    public static final String TAG = "forge/eval-result/v1";
    public static final int MAX_OUTPUT_BYTES = 32_768;

    /**
     * @param outputDigest SHA-256 of the output's UTF-8 bytes
     * @param completionTokens the tokens generated for this case
     */
    public record Outcome(String output, byte[] outputDigest, boolean passed, int completionTokens) {
        public Outcome {
            Bytes.text(output, MAX_OUTPUT_BYTES, true, "output");
            outputDigest = Bytes.exact(outputDigest, Sha256.SIZE, "output digest");
            WorkException.require(completionTokens >= 0, "completion tokens must be 0 or more");
        }

        /** The outcome of {@code output} for {@code expected}, as an honest provider writes it. */
        public static Outcome of(String output, EvalInput.Scoring scoring, String expected, int completionTokens) {
            return new Outcome(output, Sha256.hash(output.getBytes(StandardCharsets.UTF_8)), scoring.passes(output, expected),
                    completionTokens);
        }

        @Override
        public byte[] outputDigest() {
            return outputDigest.clone();
        }
    }

    public EvalResult {
        inputDigest = Bytes.exact(inputDigest, Sha256.SIZE, "input digest");
        WorkException.require(outcomes != null && !outcomes.isEmpty() && outcomes.size() <= EvalInput.MAX_CASES,
                "a result has 1 to " + EvalInput.MAX_CASES + " outcomes");
        outcomes = List.copyOf(outcomes);
        WorkException.require(passed >= 0 && passed <= outcomes.size() && scorePpm >= 0 && scorePpm <= 1_000_000,
                "passed and score out of range");
    }

    /** The honest result of outcomes for an input: counts and score computed, not stated. */
    public static EvalResult of(byte[] inputDigest, List<Outcome> outcomes) {
        int passed = (int) outcomes.stream().filter(Outcome::passed).count();
        return new EvalResult(inputDigest, outcomes, passed, score(passed, outcomes.size()));
    }

    static int score(int passed, int cases) {
        return (int) (passed * 1_000_000L / cases);
    }

    public long completionTokens() {
        return outcomes.stream().mapToLong(Outcome::completionTokens).sum();
    }

    public byte[] encode() {
        var out = new CanonicalWriter(64 + outcomes.size() * 96).string(TAG).fixed(inputDigest, Sha256.SIZE).i32(outcomes.size());
        for (Outcome o : outcomes) out.string(o.output()).fixed(o.outputDigest(), Sha256.SIZE).bool(o.passed()).i32(o.completionTokens());
        return out.i32(passed).i32(scorePpm).toByteArray();
    }

    public static EvalResult decode(byte[] bytes) {
        return Bytes.decode(bytes, "eval result", EvalResult::read);
    }

    static EvalResult read(CanonicalReader in) {
        Bytes.expectTag(in, TAG);
        byte[] input = in.fixed(Sha256.SIZE);
        int count = in.i32();
        WorkException.require(count >= 1 && count <= EvalInput.MAX_CASES, "a result has 1 to " + EvalInput.MAX_CASES + " outcomes");
        List<Outcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) outcomes.add(new Outcome(in.string(), in.fixed(Sha256.SIZE), in.bool(), in.i32()));
        return new EvalResult(input, outcomes, in.i32(), in.i32());
    }

    @Override
    public byte[] inputDigest() {
        return inputDigest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EvalResult r && Arrays.equals(encode(), r.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(inputDigest) * 31 + scorePpm;
    }
}
