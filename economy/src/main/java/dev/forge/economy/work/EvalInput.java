package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The input body of an {@code eval.v1} order ({@value #TAG}): prompts to run against the
 * ordered model, each with the answer that scores it. The order's {@code input_digest} is the
 * SHA-256 of these bytes; field by field in {@code docs/ledger.md}, "eval.v1".
 *
 * @param maxTokensPerCase each prompt's generation limit; cases × this ≤ the order's max_tokens
 */
public record EvalInput(Scoring scoring, int maxTokensPerCase, List<Case> cases) {
    public static final String TAG = "forge/eval-input/v1";
    public static final int MAX_CASES = 256;
    public static final int MAX_PROMPT_BYTES = 16_384;
    public static final int MAX_EXPECTED_BYTES = 1_024;

    /** How a case's output is scored against its expected answer. The code is what is written. */
    public enum Scoring {
        /** The output's bytes equal the expected bytes. */
        EXACT(1),
        /** The output contains the expected bytes. */
        CONTAINS(2);

        private final int code;

        Scoring(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public boolean passes(String output, String expected) {
            return this == EXACT ? output.equals(expected) : output.contains(expected);
        }

        static Scoring ofCode(int code) {
            for (Scoring s : values()) if (s.code == code) return s;
            throw new WorkException(WorkException.Code.INVALID_FIELD, "unknown scoring " + code);
        }
    }

    public record Case(String prompt, String expected) {
        public Case {
            Bytes.text(prompt, MAX_PROMPT_BYTES, false, "prompt");
            Bytes.text(expected, MAX_EXPECTED_BYTES, false, "expected answer");
        }
    }

    public EvalInput {
        WorkException.require(scoring != null, "a scoring is required");
        WorkException.require(maxTokensPerCase >= 1 && maxTokensPerCase <= Replay.MAX_TOKENS,
                "max tokens per case must be 1 to " + Replay.MAX_TOKENS);
        WorkException.require(cases != null && !cases.isEmpty() && cases.size() <= MAX_CASES,
                "an eval has 1 to " + MAX_CASES + " cases");
        cases = List.copyOf(cases);
    }

    /** The most tokens the whole eval may generate: what the order's max_tokens must allow. */
    public long maxTokens() {
        return (long) maxTokensPerCase * cases.size();
    }

    public byte[] encode() {
        var out = new CanonicalWriter(64 + cases.size() * 64).string(TAG).u8(scoring.code()).i32(maxTokensPerCase)
                .i32(cases.size());
        for (Case c : cases) out.string(c.prompt()).string(c.expected());
        return out.toByteArray();
    }

    public static EvalInput decode(byte[] bytes) {
        return Bytes.decode(bytes, "eval input", EvalInput::read);
    }

    static EvalInput read(CanonicalReader in) {
        Bytes.expectTag(in, TAG);
        Scoring scoring = Scoring.ofCode(in.u8());
        int perCase = in.i32();
        int count = in.i32();
        WorkException.require(count >= 1 && count <= MAX_CASES, "an eval has 1 to " + MAX_CASES + " cases");
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) cases.add(new Case(in.string(), in.string()));
        return new EvalInput(scoring, perCase, cases);
    }
}
