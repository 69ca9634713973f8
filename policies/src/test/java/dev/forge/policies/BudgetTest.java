package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.ledger.TransferRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BudgetTest extends PipelineFixture {
    static final BudgetPolicy TIGHT = new BudgetPolicy(10 * CU, 30 * CU, 50 * CU, 10 * CU);

    @BeforeEach
    void tighten() {
        pipeline.setPolicy(OPERATOR, "alice", TIGHT);
    }

    @Test
    void aSpendAboveThePerRequestLimitIsRefused() {
        assertEquals(Refusal.BUDGET_REQUEST, spend(ALICE, 10 * CU + 1).refusal());
        assertTrue(spend(ALICE, 10 * CU).allowed());
    }

    @Test
    void theHourIsRollingNotAClockHour() {
        assertTrue(spend(ALICE, 10 * CU).allowed());
        clock.advance(30 * 60_000);
        assertTrue(spend(ALICE, 10 * CU).allowed());
        assertTrue(spend(ALICE, 10 * CU).allowed());
        assertEquals(Refusal.BUDGET_HOUR, spend(ALICE, 1).refusal());
        clock.advance(30 * 60_000 - 1); // 59:59.999 after the first spend: still inside the hour
        assertEquals(Refusal.BUDGET_HOUR, spend(ALICE, 1).refusal());
        clock.advance(1); // exactly an hour: the first spend leaves the window
        assertTrue(spend(ALICE, 10 * CU).allowed());
        assertEquals(Refusal.BUDGET_HOUR, spend(ALICE, 1).refusal());
    }

    @Test
    void theLifetimeLimitNeverResets() {
        for (int hour = 0; hour < 5; hour++) {
            assertTrue(spend(ALICE, 10 * CU).allowed(), "hour " + hour);
            clock.advance(3_600_000);
        }
        assertEquals(Refusal.BUDGET_LIFETIME, spend(ALICE, 1).refusal());
    }

    @Test
    void settlingBelowTheHoldReturnsTheRestToTheBudget() {
        Spend spend = spend(ALICE, 10 * CU).spend();
        spend(ALICE, 10 * CU);
        spend(ALICE, 10 * CU);
        assertEquals(Refusal.BUDGET_HOUR, spend(ALICE, 4 * CU).refusal());
        pipeline.settle(ALICE, spend, trade(spend, ALICE_KEY, 6 * CU));
        assertTrue(spend(ALICE, 4 * CU).allowed(), "the 4 CU not used by the trade are free again");
        assertEquals(6 * CU + 10 * CU + 10 * CU + 4 * CU, pipeline.status(ALICE, "alice").spentLastHour());
    }

    @Test
    void aSpendWhoseHoldMovedIsChargedTheRealCostItsPaymentNames() {
        Spend spend = spend(ALICE, 10 * CU).spend();
        // As a chat's order does: its own ledger step resolves the spend's hold and pays the real cost.
        long paid = pipeline.completeMoved(ALICE, spend, 3 * CU, () -> {
            ledger.transferLinked(List.of(TransferRequest.voidHold("moved", spend.holdId()),
                    TransferRequest.single("paid", "alice", "node", 3 * CU, TransferCode.TRADE)));
            return 3 * CU;
        });
        assertEquals(3 * CU, paid);
        assertEquals(3 * CU, pipeline.status(ALICE, "alice").spentLastHour(), "the real cost, not the 10 CU held");
        assertEquals(997 * CU, available("alice"));
    }

    @Test
    void aMovedSpendCancelledByTheKillSwitchRunsNoPayment() {
        Spend spend = spend(ALICE, 10 * CU).spend();
        pipeline.kill(BOB, "test: stop everything");
        var ran = new AtomicBoolean();
        var refused = assertThrows(PolicyException.class, () -> pipeline.completeMoved(ALICE, spend, CU, () -> {
            ran.set(true);
            return 0L;
        }));
        assertEquals(Refusal.KILL_SWITCH, refused.refusal());
        assertFalse(ran.get(), "nothing is paid");
        assertEquals(0, pipeline.status(ALICE, "alice").spentLastHour());
    }

    @Test
    void cancellingReturnsEverything() {
        Spend spend = spend(ALICE, 10 * CU).spend();
        pipeline.cancel(ALICE, spend, "changed my mind");
        assertEquals(0, pipeline.status(ALICE, "alice").spentLastHour());
        assertEquals(1_000 * CU, available("alice"));
    }

    @Test
    void budgetsSurviveARestartBecauseTheLedgerRemembersTheSpending() {
        Spend spend = spend(ALICE, 10 * CU).spend();
        pipeline.settle(ALICE, spend, trade(spend, ALICE_KEY, 7 * CU));
        spend(ALICE, 10 * CU); // still held at the restart
        restart();
        SafetyStatus status = pipeline.status(ALICE, "alice");
        assertEquals(TIGHT, status.policy());
        assertEquals(17 * CU, status.spentLastHour());
        assertEquals(17 * CU, status.spentLifetime());
        assertTrue(spend(ALICE, 10 * CU).allowed());
        assertEquals(Refusal.BUDGET_HOUR, spend(ALICE, 3 * CU + 1).refusal());
    }

    @Test
    void anAgentReadsItsOwnPolicyButNoOneElses() {
        assertEquals(TIGHT, pipeline.policyFor(ALICE, "alice"));
        assertEquals(BudgetPolicy.DEFAULT, pipeline.policyFor(BOB, "bob"));
        assertEquals(Refusal.UNAUTHORIZED, assertThrows(PolicyException.class, () -> pipeline.policyFor(BOB, "alice")).refusal());
    }

    @Test
    void theNodeDefaultAppliesUntilOverridden() {
        var lenient = new BudgetPolicy(100 * CU, 300 * CU, 900 * CU, 100 * CU);
        pipeline.setDefaultPolicy(OPERATOR, lenient);
        assertEquals(lenient, pipeline.policyFor(BOB, "bob"));
        assertEquals(TIGHT, pipeline.policyFor(ALICE, "alice"));
        restart();
        assertEquals(lenient, pipeline.policyFor(BOB, "bob"));
    }

    @Test
    void aSpendTheLedgerCannotCoverIsRefusedAndReservesNothing() {
        long before = pipeline.status(BOB, "bob").spentLastHour();
        ledger.transfer(dev.forge.economy.ledger.TransferRequest.single("drain", "bob", "node", 990 * CU, 0));
        assertEquals(Refusal.INSUFFICIENT_FUNDS, spend(BOB, 20 * CU).refusal());
        assertEquals(before, pipeline.status(BOB, "bob").spentLastHour());
    }

    @Test
    void aReusedKeyIsRefusedAndReservesNothingTwice() {
        var request = new SpendRequest("alice", "node", SpendAction.CHAT, "stories260K", 5 * CU, "same-key");
        Spend first = pipeline.begin(ALICE, request).spend();
        Decision again = pipeline.begin(ALICE, request);
        assertEquals(Refusal.INVALID_ARGUMENT, again.refusal());
        assertEquals(5 * CU, pipeline.status(ALICE, "alice").spentLastHour());
        pipeline.settle(ALICE, first, trade(first, ALICE_KEY, 5 * CU));
        assertEquals(Refusal.INVALID_ARGUMENT, pipeline.begin(ALICE, request).refusal(), "a settled spend's key stays used");
        assertEquals(995 * CU, available("alice"));
    }
}
