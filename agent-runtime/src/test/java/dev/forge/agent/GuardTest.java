package dev.forge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The guard's ceilings hold whatever the planner proposes. */
class GuardTest {
    static final Offer OFFER = new Offer("key:p", "m", "00".repeat(32), dev.forge.economy.market.ModelTier.TINY, 1_000_000);

    static Decision buy(long amount) {
        return Decision.buy(OFFER, amount, "planner");
    }

    @Test
    void aSpendThatWouldPassTheRunCeilingStopsTheRun() {
        var guard = new Guard(new Guard.Limits(10_000_000, 10_000_000, 0, 5, 100));
        Decision first = buy(6_000_000);
        assertSame(first, guard.check(first));
        guard.carriedOut(first, 6_000_000);
        Decision second = guard.check(buy(4_000_001));
        assertEquals(Decision.Kind.STOP, second.kind());
        assertEquals("guard: 4.000001 CU more would take this run past its ceiling of 10 CU (spent 6)", second.reason());
        Decision exact = buy(4_000_000);
        assertSame(exact, guard.check(exact), "up to the ceiling exactly is allowed");
    }

    @Test
    void pastTheSoftLimitItWindsDownButStillRepays() {
        var guard = new Guard(new Guard.Limits(10_000_000, 5_000_000, 10_000_000, 5, 100));
        guard.carriedOut(buy(5_000_000), 5_000_000);
        Decision more = guard.check(buy(100_000));
        assertEquals(Decision.Kind.STOP, more.kind());
        assertEquals("guard: spent 5 CU, past the soft limit of 5 CU: winding down", more.reason());
        assertEquals("guard: no lending while winding down", guard.check(Decision.lend(1_000_000, "idle")).reason());
        assertEquals(Decision.Kind.SKIP, guard.check(Decision.borrow(1_000_000, 1_500_000, 7, "planner")).kind());
        Decision repay = Decision.repay("L1", 2_000_000, "planner");
        assertSame(repay, guard.check(repay));
    }

    @Test
    void borrowingBeyondTheRunsCeilingIsRefused() {
        var guard = new Guard(new Guard.Limits(10_000_000, 10_000_000, 3_000_000, 5, 100));
        Decision loan = Decision.borrow(2_000_000, 3_000_000, 7, "planner");
        assertSame(loan, guard.check(loan));
        guard.carriedOut(loan, 2_000_000);
        Decision again = guard.check(Decision.borrow(1_000_001, 1_500_002, 7, "planner"));
        assertEquals("guard: no borrowing beyond 3 CU a run (borrowed 2)", again.reason());
        assertEquals(0, guard.spent(), "a loan is not spending");
    }

    @Test
    void theSameStepOverAndOverIsALoop() {
        var guard = new Guard(new Guard.Limits(10_000_000, 10_000_000, 0, 3, 100));
        assertEquals(Decision.Kind.BUY, guard.check(buy(1_000)).kind());
        assertEquals(Decision.Kind.BUY, guard.check(buy(1_000)).kind());
        Decision third = guard.check(buy(1_000));
        assertEquals(Decision.Kind.SKIP, third.kind());
        assertEquals("guard: the planner proposed the same step 3 times in a row (buy); a loop, so the task is given up", third.reason());
        guard.nextTask();
        assertEquals(Decision.Kind.BUY, guard.check(buy(1_000)).kind());
        guard.check(buy(1_000));
        guard.carriedOut(buy(1_000), 1_000);
        assertEquals(Decision.Kind.BUY, guard.check(buy(1_000)).kind(), "a step carried out is progress, not a loop");
        Decision waiting = Decision.of(Decision.Kind.WAIT, "kill switch");
        for (int i = 0; i < 10; i++) assertSame(waiting, guard.check(waiting), "waiting is bounded by the backoff, not a loop");
    }

    @Test
    void aTaskGetsABoundedNumberOfSteps() {
        var guard = new Guard(new Guard.Limits(10_000_000, 10_000_000, 0, 5, 4));
        Decision waiting = Decision.of(Decision.Kind.WAIT, "earning");
        for (int i = 0; i < 4; i++) assertSame(waiting, guard.check(waiting));
        assertEquals("guard: 4 steps on one task; giving it up", guard.check(waiting).reason());
        guard.nextTask();
        assertSame(waiting, guard.check(waiting));
    }

    @Test
    void backoffDoublesToItsLongestAndEnds() {
        var backoff = new Backoff(100, 350, 5);
        assertEquals(java.util.List.of(100L, 200L, 350L, 350L, 350L, -1L),
                java.util.stream.Stream.generate(backoff::next).limit(6).toList());
        backoff.reset();
        assertEquals(100, backoff.next());
    }

    @Test
    void refusalsMapToWaitingDowngradingOrStopping() {
        assertEquals(Reaction.WAIT, Reaction.to("kill_switch"));
        assertEquals(Reaction.WAIT, Reaction.to("velocity"));
        assertEquals(Reaction.WAIT, Reaction.to("circuit_open"));
        assertEquals(Reaction.AWAIT_APPROVAL, Reaction.to("approval_required"));
        assertEquals(Reaction.DOWNGRADE, Reaction.to("budget_request"));
        assertEquals(Reaction.DOWNGRADE, Reaction.to("insufficient_funds"));
        assertEquals(Reaction.STOP, Reaction.to("budget_lifetime"));
        assertEquals(Reaction.DROP, Reaction.to("credit_too_low"));
        assertEquals(Reaction.DROP, Reaction.to("approval_denied"));
    }
}
