package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VelocityTest extends PipelineFixture {
    @Override
    PipelineConfig config() {
        return super.config().withVelocity(new VelocityPolicy(3, 20 * CU, 120_000));
    }

    @Test
    void tooManySpendsInAMinuteTripTheBreaker() {
        for (int i = 0; i < 3; i++) assertTrue(spend(ALICE, 1 * CU).allowed());
        assertEquals(Refusal.VELOCITY, spend(ALICE, 1 * CU).refusal());
        clock.advance(61_000); // the window slid, but the breaker holds for its cool-down
        assertEquals(Refusal.VELOCITY, spend(ALICE, 1 * CU).refusal());
        assertTrue(spend(BOB, 1 * CU).allowed(), "other agents are not affected");
        clock.advance(59_000); // 120 s after the trip
        assertTrue(spend(ALICE, 1 * CU).allowed());
    }

    @Test
    void theWindowSlides() {
        for (int i = 0; i < 3; i++) {
            assertTrue(spend(ALICE, 1 * CU).allowed());
            clock.advance(20_000);
        }
        // the first spend is now exactly 60 s old: out of the window
        assertTrue(spend(ALICE, 1 * CU).allowed());
    }

    @Test
    void tooMuchInAMinuteTripsItToo() {
        assertTrue(spend(ALICE, 15 * CU).allowed());
        assertEquals(Refusal.VELOCITY, spend(ALICE, 5 * CU + 1).refusal());
    }

    @Test
    void theOperatorCanResetIt() {
        for (int i = 0; i < 4; i++) spend(ALICE, 1 * CU);
        assertTrue(pipeline.status(ALICE, "alice").velocityTripped());
        pipeline.resetVelocity(OPERATOR, "alice");
        assertTrue(spend(ALICE, 1 * CU).allowed());
    }
}
