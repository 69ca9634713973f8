package dev.forge.economy.work;

import dev.forge.economy.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A deterministic generator standing in for a model in economy's tests (economy has no engine):
 * the output is a pure function of the model digest, the prompt, the seed and the token limit,
 * so a re-run on the same kernel path gives the same bytes, as stories260K does under jlama.
 * It runs chat inputs (any bytes) and eval inputs ({@link EvalInput}, case by case).
 */
final class TinyModel implements Reexecution {
    private final byte[] model;
    private final Engine engine;

    TinyModel(byte[] model, Engine engine) {
        this.model = model.clone();
        this.engine = engine;
    }

    @Override
    public boolean has(byte[] modelDigest) {
        return Arrays.equals(model, modelDigest);
    }

    @Override
    public Run run(WorkOrder order, byte[] input, long completionTokens) {
        return run(order, input, engine);
    }

    static Run run(WorkOrder order, byte[] input, Engine engine) {
        if (order.kind() == WorkKind.EVAL) {
            EvalInput eval = EvalInput.decode(input);
            List<EvalResult.Outcome> outcomes = new ArrayList<>();
            for (EvalInput.Case c : eval.cases()) {
                String output = generate(c.prompt().getBytes(StandardCharsets.UTF_8), order.replay().seed(), eval.maxTokensPerCase());
                outcomes.add(EvalResult.Outcome.of(output, eval.scoring(), c.expected(), tokens(output)));
            }
            return new Run(EvalResult.of(Sha256.hash(input), outcomes).encode(), engine);
        }
        return new Run(generate(input, order.replay().seed(), order.replay().maxTokens()).getBytes(StandardCharsets.UTF_8), engine);
    }

    static int completionTokens(WorkOrder order, byte[] input) {
        byte[] output = run(order, input, WorkFixtures.ENGINE).output();
        return order.kind() == WorkKind.EVAL ? (int) EvalResult.decode(output).completionTokens()
                : tokens(new String(output, StandardCharsets.UTF_8));
    }

    /** Words of four hex digits from a hash chain: "ab12 cd34 …", one word per token. */
    static String generate(byte[] prompt, long seed, int maxTokens) {
        byte[] state = Sha256.hash(concat(prompt, java.nio.ByteBuffer.allocate(8).putLong(seed).array()));
        int words = 1 + (state[0] & 0xFF) % Math.min(maxTokens, 8);
        var out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) out.append(' ');
            out.append(HexFormat.of().formatHex(state, 0, 2));
            state = Sha256.hash(state);
        }
        return out.toString();
    }

    static int tokens(String output) {
        return output.split(" ").length;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
