package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.HoldStatus;
import org.junit.jupiter.api.Test;

class ApprovalTest extends PipelineFixture {
    /** Default policy: approval above 25 CU, 50 CU per request. */
    Decision big() {
        return spend(ALICE, 40 * CU);
    }

    @Test
    void aLargeSpendIsHeldNotRefused() {
        Decision decision = big();
        assertEquals(Decision.Outcome.HELD, decision.outcome());
        assertEquals(Refusal.APPROVAL_REQUIRED, decision.refusal());
        Spend spend = decision.spend();
        assertTrue(spend.approvalId().startsWith("ap_"));
        assertEquals(HoldStatus.PENDING, ledger.holdStatus(spend.holdId()).orElseThrow(), "the money is reserved");
        assertEquals(960 * CU, available("alice"));
        assertEquals(1, pipeline.pendingApprovals().size());
        var early = assertThrows(PolicyException.class, () -> pipeline.settle(ALICE, spend, trade(spend, ALICE_KEY, CU)));
        assertEquals(Refusal.APPROVAL_REQUIRED, early.refusal());
    }

    @Test
    void afterApprovalTheSpendCompletes() {
        Spend spend = big().spend();
        pipeline.approve(OPERATOR, spend.approvalId(), "looks right");
        assertEquals(dev.forge.policies.Approval.Status.APPROVED, spend.awaitApproval().join());
        pipeline.settle(ALICE, spend, trade(spend, ALICE_KEY, 30 * CU));
        assertEquals(970 * CU, available("alice"));
        assertEquals(1, ledger.tradeCount());
    }

    @Test
    void aDenialVoidsTheHold() {
        Spend spend = big().spend();
        pipeline.deny(OPERATOR, spend.approvalId(), "too expensive");
        assertEquals(HoldStatus.VOIDED, ledger.holdStatus(spend.holdId()).orElseThrow());
        assertEquals(1_000 * CU, available("alice"));
        assertEquals(0, pipeline.status(ALICE, "alice").spentLastHour());
        var e = assertThrows(PolicyException.class, () -> pipeline.settle(ALICE, spend, trade(spend, ALICE_KEY, CU)));
        assertEquals(Refusal.APPROVAL_DENIED, e.refusal());
    }

    @Test
    void aDecisionsReasonHasTheKillReasonsBoundAndARefusedOneDecidesNothing() {
        Spend spend = big().spend();
        for (String reason : new String[] {"x".repeat(201), "line\nbreak", ""}) {
            var approve = assertThrows(PolicyException.class, () -> pipeline.approve(OPERATOR, spend.approvalId(), reason));
            assertEquals(Refusal.INVALID_ARGUMENT, approve.refusal());
            var deny = assertThrows(PolicyException.class, () -> pipeline.deny(OPERATOR, spend.approvalId(), reason));
            assertEquals(Refusal.INVALID_ARGUMENT, deny.refusal());
        }
        assertEquals(Spend.Status.AWAITING_APPROVAL, spend.status());
        assertEquals(1, pipeline.pendingApprovals().size());
    }

    @Test
    void anAgentCannotApproveItsOwnSpend() {
        Spend spend = big().spend();
        var e = assertThrows(PolicyException.class, () -> pipeline.approve(ALICE, spend.approvalId(), "trust me"));
        assertEquals(Refusal.UNAUTHORIZED, e.refusal());
        assertEquals(Spend.Status.AWAITING_APPROVAL, spend.status());
    }

    @Test
    void anUndecidedApprovalExpiresAndReleasesTheMoney() {
        Spend spend = big().spend();
        clock.advance(config().approvalTimeoutMillis() - 1);
        assertEquals(0, pipeline.expireApprovals());
        clock.advance(1);
        pipeline.expireApprovals(); // the pipeline's own ticker may get there first
        assertEquals(Spend.Status.CANCELLED, spend.status());
        assertEquals(0, pipeline.pendingApprovals().size());
        assertEquals(1_000 * CU, available("alice"));
        assertThrows(PolicyException.class, () -> pipeline.approve(OPERATOR, spend.approvalId(), "late"));
    }

    @Test
    void pendingApprovalsSurviveARestartAndCanStillBeApproved() {
        Spend before = big().spend();
        String id = before.approvalId();
        restart();
        assertEquals(1, pipeline.pendingApprovals().size());
        assertEquals(id, pipeline.pendingApprovals().getFirst().id());
        pipeline.approve(OPERATOR, id, "after restart");
        Spend after = pipeline.spendFor(id);
        pipeline.settle(ALICE, after, trade(after, ALICE_KEY, 35 * CU));
        assertEquals(965 * CU, available("alice"));
    }
}
