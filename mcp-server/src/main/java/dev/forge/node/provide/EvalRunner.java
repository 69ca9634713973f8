package dev.forge.node.provide;

import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.EvalResult;
import dev.forge.economy.work.Replay;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an {@code eval.v1} input (docs/ledger.md, "Work kind eval.v1"): every case's prompt as
 * the whole text prompt, with the order's temperature, seed and stop and the input's
 * max tokens per case, in the input's order; each output scored by the input's rule. A
 * provider runs it on its model and a node's re-execution on its engine, through this one
 * definition, so that the same kernel path gives the same result bytes.
 */
public final class EvalRunner {
    /** One generation on some engine. */
    @FunctionalInterface
    public interface Generator {
        Completion generate(GenerationRequest request);
    }

    /**
     * What the eval gave: the result body and the totals its attestation states.
     *
     * @param finishReason {@code stop} when every case finished before its limit, else {@code length}
     */
    public record Run(EvalResult result, int promptTokens, int completionTokens, String finishReason) {
        public byte[] output() {
            return result.encode();
        }
    }

    private EvalRunner() {
    }

    /** The generation request of one case. */
    public static GenerationRequest request(EvalInput input, EvalInput.Case c, Replay replay) {
        return new GenerationRequest(prompt(c), input.maxTokensPerCase(), replay.temperature(), replay.seed(), replay.stop());
    }

    public static Prompt prompt(EvalInput.Case c) {
        return new Prompt.Text(c.prompt());
    }

    /** Runs every case of {@code input} (whose bytes hash to {@code inputDigest}) with {@code replay}. */
    public static Run run(EvalInput input, byte[] inputDigest, Replay replay, Generator generator) {
        List<EvalResult.Outcome> outcomes = new ArrayList<>(input.cases().size());
        long promptTokens = 0;
        boolean cut = false;
        for (EvalInput.Case c : input.cases()) {
            Completion completion = generator.generate(request(input, c, replay));
            outcomes.add(EvalResult.Outcome.of(completion.text(), input.scoring(), c.expected(), completion.completionTokens()));
            promptTokens += completion.promptTokens();
            cut |= completion.finishReason() == Completion.FinishReason.LENGTH;
        }
        EvalResult result = EvalResult.of(inputDigest, outcomes);
        return new Run(result, Math.toIntExact(promptTokens), Math.toIntExact(result.completionTokens()), cut ? "length" : "stop");
    }
}
