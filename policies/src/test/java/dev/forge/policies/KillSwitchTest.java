package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.HoldStatus;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KillSwitchTest extends PipelineFixture {
    @Test
    void anAgentCanPullItAndThenNobodySpends() {
        pipeline.kill(ALICE, "my loop looks wrong");
        Decision refused = spend(BOB, 1 * CU);
        assertEquals(Refusal.KILL_SWITCH, refused.refusal());
        assertTrue(refused.reason().contains("my loop looks wrong"), refused.reason());
        KillState state = pipeline.killState();
        assertTrue(state.active());
        assertEquals("alice", state.by());
        assertEquals(clock.millis(), state.at());
    }

    @Test
    void spendsInFlightAreCancelledAndTheirHoldsVoided() {
        Spend inFlight = spend(ALICE, 10 * CU).spend();
        var told = new AtomicBoolean();
        inFlight.onCancel(() -> told.set(true));
        assertEquals(990 * CU, available("alice"));

        pipeline.kill(BOB, "anomaly");
        assertTrue(told.get(), "the inference must be told to stop");
        assertEquals(Spend.Status.CANCELLED, inFlight.status());
        assertEquals(HoldStatus.VOIDED, ledger.holdStatus(inFlight.holdId()).orElseThrow());
        assertEquals(1_000 * CU, available("alice"));
        var e = assertThrows(PolicyException.class, () -> pipeline.settle(ALICE, inFlight, trade(inFlight, ALICE_KEY, CU)));
        assertEquals(Refusal.KILL_SWITCH, e.refusal());
        assertEquals(0, ledger.tradeCount());
    }

    @Test
    void onlyTheOperatorReleasesIt() {
        pipeline.kill(ALICE, "test");
        var e = assertThrows(PolicyException.class, () -> pipeline.release(ALICE, "please"));
        assertEquals(Refusal.UNAUTHORIZED, e.refusal());
        assertTrue(pipeline.killState().active());
        pipeline.release(OPERATOR, "checked");
        assertFalse(pipeline.killState().active());
        assertTrue(spend(ALICE, 1 * CU).allowed());
    }

    @Test
    void itSurvivesARestart() {
        pipeline.kill(OPERATOR, "maintenance");
        restart();
        assertTrue(pipeline.killState().active());
        assertEquals("maintenance", pipeline.killState().reason());
        assertEquals(Refusal.KILL_SWITCH, spend(ALICE, 1 * CU).refusal());
        pipeline.release(OPERATOR, "done");
        restart();
        assertFalse(pipeline.killState().active());
    }
}
