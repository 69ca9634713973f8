package dev.forge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model that fails is reported to its guard, the caller's own mistakes are not, and the engine
 * keeps serving the other models. The guard here is a breaker in miniature: the real one is the
 * policies module's (tested there by {@code BreakerTest}), which the node puts in this same place.
 */
class FailureTest {
    static final String BOOM = "It went " + TinyLlama.BROKEN_TOKEN;

    /** Counts each model's faults as {@link InferenceGuard#isModelFault} judges them, and refuses a model after two. */
    static final class FaultCounter implements InferenceGuard {
        static final int OPEN_AFTER = 2;
        final Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();

        @Override
        public Completion run(String model, Callable<Completion> generation) throws Exception {
            if (open(model)) throw new Refused(model);
            try {
                return generation.call();
            } catch (Exception e) {
                if (InferenceGuard.isModelFault(e)) faults(model).incrementAndGet();
                throw e;
            }
        }

        AtomicInteger faults(String model) {
            return faults.computeIfAbsent(model, m -> new AtomicInteger());
        }

        boolean open(String model) {
            return faults(model).get() >= OPEN_AFTER;
        }
    }

    static final class Refused extends RuntimeException {
        Refused(String model) {
            super(model + " is refused: its breaker is open");
        }
    }

    static FaultCounter breakers;
    static InferenceEngine engine;

    @BeforeAll
    static void build() throws Exception {
        Path root = Files.createTempDirectory("forge-failing-models");
        breakers = new FaultCounter();
        engine = new InferenceEngine(root.resolve("work"), 2, Tier.Bounds.DEFAULT,
                breakers);
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
        assertEquals(0, breakers.faults("broken").get(), "three refused prompts would have opened it had they counted");

        var failure = assertThrows(InferenceException.class, () -> greedy("broken", BOOM, 10));
        assertEquals(InferenceException.Code.ENGINE_FAILURE, failure.code());
        assertEquals(1, breakers.faults("broken").get(), "the model's own failure counts");
        assertEquals(InferenceException.Code.ENGINE_FAILURE,
                assertThrows(InferenceException.class, () -> greedy("broken", BOOM, 10)).code());
        assertTrue(breakers.open("broken"));

        assertThrows(Refused.class, () -> greedy("broken", TinyLlama.STORY_PROMPT, 50),
                "an open breaker refuses even a good prompt, at once");
        assertEquals(TinyLlama.STORY, greedy("healthy", TinyLlama.STORY_PROMPT, 50).text());
        assertEquals(0, breakers.faults("healthy").get());
    }
}
