package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Real SmallRye circuit breakers, on real time: their delay is short here. */
class BreakerTest extends PipelineFixture {
    @Override
    PipelineConfig config() {
        return super.config().withBreakers(new BreakerPolicy(4, 0.5, 300, 1));
    }

    private void fail(String model) {
        assertThrows(IOException.class, () -> pipeline.breakers().call(model, () -> {
            throw new IOException("model crashed");
        }, String.class));
    }

    @Test
    void repeatedFailuresOpenTheModelsBreakerAndCallersFailFast() throws Exception {
        for (int i = 0; i < 4; i++) fail("stories260K");
        assertEquals(CircuitBreakerState.OPEN, pipeline.breakers().state("stories260K"));
        var fast = assertThrows(PolicyException.class,
                () -> pipeline.breakers().call("stories260K", () -> "never runs", String.class));
        assertEquals(Refusal.CIRCUIT_OPEN, fast.refusal());
        assertEquals(Refusal.CIRCUIT_OPEN, spend(ALICE, 1 * CU).refusal());
        assertEquals("ok", pipeline.breakers().call("other-model", () -> "ok", String.class), "breakers are per model");
    }

    @Test
    void itHalfOpensAfterItsDelayAndASuccessClosesIt() throws Exception {
        for (int i = 0; i < 4; i++) fail("stories260K");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!spend(ALICE, 1 * CU).allowed()) {
            assertTrue(System.nanoTime() < deadline, "the breaker must let a trial through after its delay");
            Thread.sleep(50);
        }
        assertEquals("fine", pipeline.breakers().call("stories260K", () -> "fine", String.class));
        assertEquals(CircuitBreakerState.CLOSED, pipeline.breakers().state("stories260K"));
    }

    @Test
    void theOperatorCanCloseItAtOnce() {
        for (int i = 0; i < 4; i++) fail("stories260K");
        assertEquals(Refusal.UNAUTHORIZED, assertThrows(PolicyException.class,
                () -> pipeline.resetBreaker(ALICE, "stories260K")).refusal());
        pipeline.resetBreaker(OPERATOR, "stories260K");
        assertTrue(spend(ALICE, 1 * CU).allowed());
    }
}
