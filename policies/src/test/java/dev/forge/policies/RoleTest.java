package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** An agent's identity is refused every operator action, and every act for another agent. */
class RoleTest extends PipelineFixture {
    @Test
    void agentsAreRefusedEveryOperatorAction() {
        Spend held = spend(ALICE, 40 * CU).spend();
        pipeline.kill(OPERATOR, "drill");
        var lenient = new BudgetPolicy(100 * CU, 200 * CU, 1_000 * CU, 100 * CU);
        List<Executable> operatorOnly = List.of(
                () -> pipeline.release(ALICE, "let me spend"),
                () -> pipeline.setPolicy(ALICE, "alice", lenient),
                () -> pipeline.setDefaultPolicy(ALICE, lenient),
                () -> pipeline.approve(ALICE, held.approvalId(), "self"),
                () -> pipeline.deny(BOB, held.approvalId(), "spite"),
                () -> pipeline.resetVelocity(ALICE, "alice"),
                () -> pipeline.resetBreaker(ALICE, "stories260K"));
        for (Executable action : operatorOnly) {
            assertEquals(Refusal.UNAUTHORIZED, assertThrows(PolicyException.class, action).refusal());
        }
        assertEquals(BudgetPolicy.DEFAULT, pipeline.policyFor(ALICE, "alice"));
        assertEquals(true, pipeline.killState().active());
    }

    @Test
    void agentsCannotActForEachOther() {
        Decision decision = pipeline.begin(BOB, chat("alice", 1 * CU));
        assertEquals(Refusal.UNAUTHORIZED, decision.refusal());
        Spend alices = spend(ALICE, 1 * CU).spend();
        assertEquals(Refusal.UNAUTHORIZED, assertThrows(PolicyException.class,
                () -> pipeline.settle(BOB, alices, trade(alices, ALICE_KEY, 1))).refusal());
        assertEquals(Refusal.UNAUTHORIZED, assertThrows(PolicyException.class,
                () -> pipeline.cancel(BOB, alices, "mine now")).refusal());
        assertEquals(Refusal.UNAUTHORIZED, assertThrows(PolicyException.class,
                () -> pipeline.status(BOB, "alice")).refusal());
    }
}
