package dev.forge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.policies.BreakerPolicy;
import dev.forge.policies.InferenceBreakers;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model that fails is reported to its real circuit breaker (policies module), the caller's
 * own mistakes are not, and the engine keeps serving the other models.
 */
class FailureTest {
    static final String BOOM = "It went " + TinyLlama.BROKEN_TOKEN;

    static InferenceBreakers breakers;
    static InferenceEngine engine;

    @BeforeAll
    static void build() throws Exception {
        Path root = Files.createTempDirectory("forge-failing-models");
        breakers = new InferenceBreakers(new BreakerPolicy(4, 0.5, 60_000, 1), InferenceGuard::isModelFault);
        engine = new InferenceEngine(root.resolve("work"), 2, Tier.Bounds.DEFAULT,
                (model, generation) -> breakers.call(model, generation, Completion.class));
        engine.load("broken", TinyLlama.writeBroken(root.resolve("broken")));
        engine.load("healthy", TinyLlama.write(TinyLlama.SMALL, root.resolve("healthy")));
    }

    @AfterAll
    static void close() {
        if (engine != null) engine.close();
    }

    static Completion greedy(String model, String prompt, int maxTokens) {
        return engine.generate(model, GenerationRequest.greedy(prompt, maxTokens), piece -> { }, () -> false);
    }

    @Test
    void aFailingModelOpensItsBreakerAndTheOthersServeOn() {
        assertEquals(TinyLlama.STORY, greedy("broken", TinyLlama.STORY_PROMPT, 50).text(), "it works on other prompts");
        for (int i = 0; i < 3; i++) {
            // The caller's mistakes are not the model's: they never count against its breaker.
            var tooLong = assertThrows(InferenceException.class, () -> greedy("broken", TinyLlama.STORY_PROMPT, 5_000));
            assertEquals(InferenceException.Code.PROMPT_TOO_LONG, tooLong.code());
        }
        assertEquals(CircuitBreakerState.CLOSED, breakers.state("broken"));

        // Of the last four calls, one good and three refused prompts would have opened it had they counted.
        var failure = assertThrows(InferenceException.class, () -> greedy("broken", BOOM, 10));
        assertEquals(InferenceException.Code.ENGINE_FAILURE, failure.code());
        assertEquals(CircuitBreakerState.CLOSED, breakers.state("broken"), "one failure in four");
        assertEquals(InferenceException.Code.ENGINE_FAILURE,
                assertThrows(InferenceException.class, () -> greedy("broken", BOOM, 10)).code());
        assertEquals(CircuitBreakerState.OPEN, breakers.state("broken"));

        var refused = assertThrows(PolicyException.class, () -> greedy("broken", TinyLlama.STORY_PROMPT, 50));
        assertEquals(Refusal.CIRCUIT_OPEN, refused.refusal(), "an open breaker refuses even a good prompt, at once");
        assertEquals(TinyLlama.STORY, greedy("healthy", TinyLlama.STORY_PROMPT, 50).text());
        assertEquals(CircuitBreakerState.CLOSED, breakers.state("healthy"));
    }
}
