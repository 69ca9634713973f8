package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailSafeTest extends PipelineFixture {
    @Test
    void aMissingClockMeansNo() {
        clock.broken = new IllegalStateException("no time source");
        Decision decision = spend(ALICE, 1 * CU);
        assertEquals(Refusal.POLICY_UNAVAILABLE, decision.refusal());
        clock.broken = null;
        assertTrue(spend(ALICE, 1 * CU).allowed());
    }

    @Test
    void anAbsurdClockMeansNo() {
        clock.millis.set(0);
        assertEquals(Refusal.POLICY_UNAVAILABLE, spend(ALICE, 1 * CU).refusal());
    }

    @Test
    void aFailedStoreMeansNoAndNothingIsHeld() {
        pipeline.audit().flush();
        Faults.loseStore(pipeline);
        assertEquals(Refusal.POLICY_UNAVAILABLE, spend(ALICE, 1 * CU).refusal());
        assertEquals(1_000 * CU, available("alice"));
    }
}
