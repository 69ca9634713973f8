package dev.forge.economy.work;

import static dev.forge.economy.work.WorkFixtures.ENGINE;
import static dev.forge.economy.work.WorkFixtures.PROVIDER;
import static dev.forge.economy.work.WorkFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalTest {
    @TempDir Path dir;

    private final EvalInput eval = new EvalInput(EvalInput.Scoring.CONTAINS, 4, List.of(
            new EvalInput.Case("Once upon a time", " "),
            new EvalInput.Case("The cat", "zzzz-never"),
            new EvalInput.Case("Lily went", " ")));

    private SignedWorkOrder order(EvalInput input, int maxTokens) {
        return ProviderSide.order("bob", WorkKind.EVAL, input.encode(), new Replay(maxTokens, 0, 7, List.of()), 1, T0 + 60_000);
    }

    private static Map<String, Check> byName(List<Check> checks) {
        return checks.stream().collect(Collectors.toMap(Check::name, Function.identity()));
    }

    /** The input bytes written from docs/ledger.md's table with plain ByteBuffer, not Forge's writer. */
    @Test
    void theInputBytesAreExactlyWhatTheDocsDescribe() {
        var out = new ByteArrayOutputStream();
        text(out, "forge/eval-input/v1");
        out.write(2);
        out.writeBytes(ByteBuffer.allocate(8).putInt(4).putInt(3).array());
        for (String s : List.of("Once upon a time", " ", "The cat", "zzzz-never", "Lily went", " ")) text(out, s);
        assertArrayEquals(out.toByteArray(), eval.encode());
        assertEquals(eval, EvalInput.decode(eval.encode()));
        byte[] longer = java.util.Arrays.copyOf(eval.encode(), eval.encode().length + 1);
        assertEquals(WorkException.Code.MALFORMED, assertThrows(WorkException.class, () -> EvalInput.decode(longer)).code());
    }

    @Test
    void theResultBytesAreExactlyWhatTheDocsDescribe() {
        var outcome = EvalResult.Outcome.of("ab12 cd34", EvalInput.Scoring.CONTAINS, " ", 2);
        var result = EvalResult.of(Sha256.hash(eval.encode()), List.of(outcome));
        var out = new ByteArrayOutputStream();
        text(out, "forge/eval-result/v1");
        out.writeBytes(Sha256.hash(eval.encode()));
        out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
        text(out, "ab12 cd34");
        out.writeBytes(Sha256.hash("ab12 cd34".getBytes(StandardCharsets.UTF_8)));
        out.write(1);
        out.writeBytes(ByteBuffer.allocate(12).putInt(2).putInt(1).putInt(1_000_000).array());
        assertArrayEquals(out.toByteArray(), result.encode());
        assertEquals(result, EvalResult.decode(result.encode()));
    }

    @Test
    void anHonestEvalPassesEveryCheckAndItsScoreIsTheShareThatPass() throws Exception {
        var bob = new ProviderSide("bob", PROVIDER, dir.resolve("bob"), ENGINE);
        var order = order(eval, 12);
        Chain chain = bob.deliver(order, eval.encode(), T0);
        var found = ChainChecks.availability(order, chain.attestation().attestation(), bob.bodies);
        assertEquals(List.of("availability.input", "availability.output", "eval.input", "eval.result", "eval.outputs",
                "eval.score", "eval.tokens"), found.checks().stream().map(Check::name).toList());
        assertTrue(found.checks().stream().allMatch(Check::passed), found.checks().toString());
        EvalResult result = EvalResult.decode(found.output());
        assertEquals(3, result.outcomes().size());
        assertEquals(result.passed() * 1_000_000 / 3, result.scorePpm());
        assertTrue(!result.outcomes().get(1).passed(), "nothing the tiny model says contains the never-answer");
        assertTrue(ChainChecks.reexecution(order.order(), chain.attestation().attestation(), found.input(),
                new TinyModel(ProviderSide.MODEL, ENGINE)).passed(), "a re-run of the whole eval gives the same result bytes");
    }

    @Test
    void anInflatedScoreAWrongDigestAMissingCaseOrAnEvalTooLargeForTheOrderFails() {
        byte[] input = eval.encode();
        var honest = EvalResult.decode(TinyModel.run(order(eval, 12).order(), input, ENGINE).output());
        var o = honest.outcomes();

        List<EvalResult.Outcome> flipped = new ArrayList<>(o);
        flipped.set(1, new EvalResult.Outcome(o.get(1).output(), o.get(1).outputDigest(), true, o.get(1).completionTokens()));
        assertEquals("eval_score_mismatch", failure(eval, 12, EvalResult.of(Sha256.hash(input), flipped), "eval.score"));
        var claimed = new EvalResult(Sha256.hash(input), o, honest.passed(), 1_000_000);
        assertEquals("eval_score_mismatch", failure(eval, 12, claimed, "eval.score"));

        List<EvalResult.Outcome> wrongDigest = new ArrayList<>(o);
        wrongDigest.set(0, new EvalResult.Outcome(o.get(0).output(), Sha256.hashText("other"), o.get(0).passed(), o.get(0).completionTokens()));
        assertEquals("eval_output_mismatch", failure(eval, 12, EvalResult.of(Sha256.hash(input), wrongDigest), "eval.outputs"));

        assertEquals("eval_result_invalid", failure(eval, 12, EvalResult.of(Sha256.hash(input), o.subList(0, 2)), "eval.result"));
        assertEquals("eval_result_invalid", failure(eval, 12, EvalResult.of(Sha256.hashText("another eval"), o), "eval.result"));

        List<EvalResult.Outcome> overlong = new ArrayList<>(o);
        overlong.set(0, new EvalResult.Outcome(o.get(0).output(), o.get(0).outputDigest(), o.get(0).passed(), 5));
        assertEquals("eval_tokens_mismatch", failure(eval, 12, EvalResult.of(Sha256.hash(input), overlong), "eval.tokens"));

        assertEquals("eval_input_invalid", failure(eval, 11, honest, "eval.input"), "3 cases of 4 tokens need max_tokens 12");
    }

    /** The code of check {@code name} when a provider delivers {@code result} for an order of {@code maxTokens}. */
    private String failure(EvalInput input, int maxTokens, EvalResult result, String name) {
        var order = order(input, maxTokens);
        var attestation = new Attestation(order.digest(), "bob", ProviderSide.MODEL, ENGINE, order.order().replay(),
                order.order().inputDigest(), Sha256.hash(result.encode()), 4,
                (int) Math.min(maxTokens, result.completionTokens()), "stop", 0, 0, T0, T0, 0, Attestation.noPrevious());
        Check check = byName(EvalChecks.check(order.order(), attestation, input.encode(), result.encode())).get(name);
        assertEquals(Check.Verdict.FAIL, check.verdict(), check.toString());
        return check.code();
    }

    private static void text(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
