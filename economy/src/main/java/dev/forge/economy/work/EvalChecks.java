package dev.forge.economy.work;

import dev.forge.economy.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The checks of an {@code eval.v1} chain's bodies: the input is a valid eval the order can pay
 * for, the result answers that input case by case, every output digest and pass flag is what
 * the output gives, the score is computed from them, and the tokens add up to the attestation's.
 * A node runs them on arrival over the input it holds and the result delivered; the live checks
 * over the bodies fetched from the provider.
 */
public final class EvalChecks {
    private EvalChecks() {
    }

    public static List<Check> check(WorkOrder order, Attestation attestation, byte[] inputBody, byte[] resultBody) {
        List<Check> checks = new ArrayList<>();
        EvalInput input;
        EvalResult result;
        try {
            input = EvalInput.decode(inputBody);
        } catch (WorkException e) {
            checks.add(Check.fail("eval.input", "eval_input_invalid", e.getMessage()));
            return checks;
        }
        checks.add(Check.of("eval.input", input.maxTokens() <= order.replay().maxTokens(), "eval_input_invalid",
                input.cases().size() + " cases of " + input.maxTokensPerCase() + " tokens exceed the order's "
                        + order.replay().maxTokens()));
        try {
            result = EvalResult.decode(resultBody);
        } catch (WorkException e) {
            checks.add(Check.fail("eval.result", "eval_result_invalid", e.getMessage()));
            return checks;
        }
        boolean answers = Arrays.equals(result.inputDigest(), Sha256.hash(inputBody))
                && result.outcomes().size() == input.cases().size();
        checks.add(Check.of("eval.result", answers, "eval_result_invalid", "the result is not for this eval's cases"));
        if (!answers) return checks;
        checks.add(outputs(result));
        checks.add(score(input, result));
        checks.add(tokens(input, result, attestation));
        return checks;
    }

    private static Check outputs(EvalResult result) {
        for (int i = 0; i < result.outcomes().size(); i++) {
            var o = result.outcomes().get(i);
            if (!Arrays.equals(o.outputDigest(), Sha256.hash(o.output().getBytes(StandardCharsets.UTF_8)))) {
                return Check.fail("eval.outputs", "eval_output_mismatch", "case " + i + "'s output digest is not its output's");
            }
        }
        return Check.pass("eval.outputs");
    }

    private static Check score(EvalInput input, EvalResult result) {
        int passed = 0;
        for (int i = 0; i < input.cases().size(); i++) {
            var o = result.outcomes().get(i);
            boolean passes = input.scoring().passes(o.output(), input.cases().get(i).expected());
            if (passes != o.passed()) {
                return Check.fail("eval.score", "eval_score_mismatch", "case " + i + " is marked " + (o.passed() ? "passed" : "failed"));
            }
            if (passes) passed++;
        }
        boolean counted = result.passed() == passed && result.scorePpm() == EvalResult.score(passed, input.cases().size());
        return Check.of("eval.score", counted, "eval_score_mismatch", "the score is not the share of cases that pass");
    }

    private static Check tokens(EvalInput input, EvalResult result, Attestation attestation) {
        boolean within = result.outcomes().stream().allMatch(o -> o.completionTokens() <= input.maxTokensPerCase());
        return Check.of("eval.tokens", within && result.completionTokens() == attestation.completionTokens(),
                "eval_tokens_mismatch", "the cases' tokens do not add up to the attested " + attestation.completionTokens());
    }
}
