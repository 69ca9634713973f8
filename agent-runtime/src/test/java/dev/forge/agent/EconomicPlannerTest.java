package dev.forge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.market.ModelTier;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules planner on numbers worked out by hand: a task of 16 prompt bytes (bound 32 tokens)
 * and 48 max tokens is 80 tokens, so a tiny offer at 1 CU per 1,000 costs at most 0.08 CU and a
 * large one at 20 CU costs at most 1.6 CU.
 */
class EconomicPlannerTest {
    static final String DIGEST = "ab".repeat(32);
    static final Offer TINY = new Offer("key:tiny", "stories", DIGEST, ModelTier.TINY, 1_000_000);
    static final Offer LARGE = new Offer("key:large", "big", DIGEST, ModelTier.LARGE, 20_000_000);
    static final Task HARD = new Task("hard", "Once upon a time", 48, ModelTier.LARGE, 4_000_000);
    static final long NOW = 1_800_000_000_000L;
    static final long DAY = 86_400_000L;
    final EconomicPlanner planner = new EconomicPlanner();

    static Snapshot seen(long available, long spendable, boolean mayBorrow, int rateBps, int collateralPercent, List<Loan> loans,
                         boolean kill) {
        return new Snapshot(NOW, available, spendable, spendable, 0, mayBorrow ? 400 : 250, mayBorrow, rateBps, 100_000_000,
                collateralPercent, 30, loans, List.of(TINY, LARGE), kill, kill ? "runaway" : "");
    }

    static Snapshot seen(long available, long spendable) {
        return seen(available, spendable, true, 1_200, 150, List.of(), false);
    }

    Decision decide(Snapshot s, Task task) {
        return planner.decide(s, task, Collections.nCopies(4, task), Planner.RuledOut.none());
    }

    @Test
    void theTaskCostsWhatItsTokensCostAndIsWorthLessBelowItsTier() {
        assertEquals(80_000, TINY.worstCase(HARD));
        assertEquals(1_600_000, LARGE.worstCase(HARD));
        assertEquals(1_000_000, HARD.valueAt(ModelTier.TINY), "a tiny answer to a large task is worth a quarter");
        assertEquals(3_000_000, HARD.valueAt(ModelTier.MEDIUM));
        assertEquals(4_000_000, HARD.valueAt(ModelTier.LARGE));
    }

    @Test
    void buysTheTierTheTaskDeservesWhenItCanPay() {
        Decision d = decide(seen(0, 2_000_000), HARD);
        assertEquals(Decision.Kind.BUY, d.kind());
        assertEquals(LARGE, d.offer());
        assertEquals(1_600_000, d.amount());
        assertEquals("the large tier for hard: worth 4 CU, costs at most 1.6 CU at key:large, net 2.4 CU", d.reason());
    }

    @Test
    void whenNoOfferReachesTheTierItDeservesItSaysSo() {
        Snapshot onlyTiny = new Snapshot(NOW, 0, 2_000_000, 2_000_000, 0, 400, true, 1_200, 100_000_000, 150, 30, List.of(),
                List.of(TINY), false, "");
        Decision d = decide(onlyTiny, HARD);
        assertEquals(TINY, d.offer());
        assertEquals("the tiny tier for hard: worth 1 CU, costs at most 0.08 CU at key:tiny, net 0.92 CU (it deserves the large "
                + "tier, which no offer reaches)", d.reason());
    }

    @Test
    void whenShortItDowngradesAndSaysWhyNoLoanHelps() {
        Decision d = decide(seen(3_000_000, 1_000_000), HARD);
        assertEquals(Decision.Kind.BUY, d.kind());
        assertEquals(TINY, d.offer());
        assertEquals(80_000, d.amount());
        assertEquals("the tiny tier instead of the large tier for hard: the large tier costs up to 1.6 CU and I can pay 1; "
                + "no loan: my credit needs 150% collateral, so borrowing 0.6 CU locks 0.9 CU and leaves less to spend, not more",
                d.reason());
    }

    @Test
    void borrowsWhenTheBetterTierEarnsMoreThanTheInterest() {
        // A credit that needs 50% collateral: 1.2 CU borrowed locks 0.6 and adds the 0.6 CU missing.
        Decision d = decide(seen(3_000_000, 1_000_000, true, 1_200, 50, List.of(), false), HARD);
        assertEquals(Decision.Kind.BORROW, d.kind());
        assertEquals(1_200_000, d.amount());
        assertEquals(600_000, d.collateral());
        assertEquals(7, d.termDays());
        // interest: 1.2 CU × 12% × 7 / 365 = 0.0027616 → 2,762 µCU; gain: 5 × (2.4 − 0.92) = 7.4 CU, 2,679.2 times it
        assertEquals(600_000, d.proceeds(), "what moves to the key account");
        assertEquals("borrow 1.2 CU at 12% for 7 days against 0.6 CU (50%): the large tier earns 7.4 CU more on the next 5 orders "
                + "than it costs, 2679.2x the interest", d.reason());
    }

    @Test
    void theCreditLineSetsTheLoanAndAFullyCollateralisedOneIsNeverTaken() {
        // 72% (a score of 425): A − ⌈0.72 A⌉ ≥ 0.6 CU needs A = 2.142858 CU, locking 1.542858.
        Decision d = decide(seen(3_000_000, 1_000_000, true, 4_197, 72, List.of(), false), HARD);
        assertEquals(Decision.Kind.BORROW, d.kind());
        assertEquals(2_142_858, d.amount());
        assertEquals(1_542_858, d.collateral());
        assertEquals(600_000, d.proceeds());
        assertTrue(d.reason().startsWith("borrow 2.142858 CU at 41.97% for 7 days against 1.542858 CU (72%): the large tier"),
                d.reason());
        for (int percent : new int[] {100, 150}) {
            Decision none = decide(seen(3_000_000, 1_000_000, true, 4_197, percent, List.of(), false), HARD);
            assertEquals(Decision.Kind.BUY, none.kind(), "at " + percent + "% a loan adds nothing");
            assertEquals(TINY, none.offer());
        }
    }

    @Test
    void aLoanBuysABetterTierNeverTheLowestOne() {
        Task easy = new Task("easy", "Once upon a time", 48, ModelTier.TINY, 400_000);
        Decision d = decide(seen(3_000_000, 0, true, 1_200, 50, List.of(), false), easy);
        assertEquals(Decision.Kind.WAIT, d.kind());
        assertEquals("waiting to earn: the cheapest offer for easy costs up to 0.08 CU and I can pay 0; no loan: a loan buys a "
                + "better tier, and the tiny tier is the lowest on offer; earnings pay for it", d.reason());
    }

    @Test
    void afterItsTasksItWaitsToEarnWhatItsLoansOweAndRepaysThem() {
        assertEquals(Decision.of(Decision.Kind.SKIP, "every loan is repaid: the run ends"), planner.settle(seen(0, 0)));
        Loan loan = new Loan("L3", "active", 3_000_000, 3_010_000, 2_200_000, NOW + 6 * DAY);
        Decision wait = planner.settle(seen(100_000_000, 1_000_000, true, 1_200, 72, List.of(loan), false));
        assertEquals(Decision.of(Decision.Kind.WAIT, "waiting to earn what L3 owes (3.01 CU) before the run ends: my key account "
                + "holds 1 CU"), wait);
        Decision repay = planner.settle(seen(0, 4_000_000, true, 1_200, 72, List.of(loan), false));
        assertEquals(Decision.Kind.REPAY, repay.kind());
        assertEquals(3_013_010, repay.fromKey(), "3.01 CU and a thousandth");
        assertEquals(Decision.Kind.WAIT, planner.settle(seen(0, 4_000_000, true, 1_200, 72, List.of(loan), true)).kind());
    }

    @Test
    void noLoanWhenTheInterestEatsTheGain() {
        // Worth 2.04 CU: large nets 0.44, tiny 0.51 − 0.08 = 0.43, a gain of 0.01 CU on this one order.
        Task thin = new Task("thin", "Once upon a time", 48, ModelTier.LARGE, 2_040_000);
        var oneAhead = new EconomicPlanner(new EconomicPlanner.Settings(1, 7, DAY, 5_000_000, 1_000_000, 10_000_000));
        Decision d = oneAhead.decide(seen(3_000_000, 1_000_000, true, 5_000, 50, List.of(), false), thin, List.of(),
                Planner.RuledOut.none());
        assertEquals(Decision.Kind.BUY, d.kind());
        assertEquals(TINY, d.offer());
        // 1.2 CU × 50% × 7 / 365 = 0.0115068 → 11,507 µCU of interest, more than the 10,000 µCU gained
        assertTrue(d.reason().endsWith("no loan: the large tier earns 0.01 CU more on the next 1 orders, not more than the "
                + "0.011507 CU of interest"), d.reason());
    }

    @Test
    void noLoanWithoutTheCreditOrTheCollateral() {
        Decision noCredit = decide(seen(3_000_000, 1_000_000, false, 5_000, 50, List.of(), false), HARD);
        assertTrue(noCredit.reason().endsWith("no loan: my credit score 250 is below the pool's minimum"), noCredit.reason());
        Decision noCollateral = decide(seen(500_000, 1_000_000, true, 1_200, 50, List.of(), false), HARD);
        assertTrue(noCollateral.reason().endsWith("no loan: 1.2 CU needs 0.6 CU of collateral and I have 0.5"), noCollateral.reason());
    }

    @Test
    void waitsToEarnWhenNothingCanBePaid() {
        Decision d = decide(seen(0, 50_000), HARD);
        assertEquals(Decision.Kind.WAIT, d.kind());
        assertTrue(d.reason().startsWith("waiting to earn: the cheapest offer for hard costs up to 0.08 CU and I can pay 0.05; "),
                d.reason());
    }

    @Test
    void waitsWhileTheKillSwitchIsOn() {
        Decision d = decide(seen(100_000_000, 100_000_000, true, 1_200, 150, List.of(), true), HARD);
        assertEquals(Decision.Kind.WAIT, d.kind());
        assertEquals("the kill switch is on (runaway): no spending until it is released", d.reason());
    }

    @Test
    void repaysFromItsEarningsOnceTheyCoverTheLoanAndFromItsAccountOnlyNearTheDueDate() {
        Loan loan = new Loan("L1", "active", 2_000_000, 2_010_000, 3_000_000, NOW + 5 * DAY);
        // owed 2.01 CU and a thousandth more (2,010 µCU) for the interest until the payment lands
        // it keeps 1.6 CU for hard's large order: 2.01201 + 1.6 = 3.61201 CU are needed
        Decision full = decide(seen(0, 3_700_000, true, 1_200, 150, List.of(loan), false), HARD);
        assertEquals(Decision.repayFromKey("L1", 2_010_000, 2_012_010, "repay L1 in full (2.01 CU) from my earnings: my key "
                + "account holds 3.7 CU, 1.6 of them kept for hard's order, so 2.01201 CU move to my agent account, and interest "
                + "runs until it is paid"), full);
        Decision proceeds = decide(seen(0, 3_600_000, true, 1_200, 150, List.of(loan), false), HARD);
        assertEquals(Decision.Kind.BUY, proceeds.kind(), "a loan's proceeds pay the order they were borrowed for, not the loan");
        Decision notYet = decide(seen(100_000_000, 2_000_000, true, 1_200, 150, List.of(loan), false), HARD);
        assertEquals(Decision.Kind.BUY, notYet.kind(), "due in 5 days, the earnings short of it: it works on, its account untouched");
        Loan due = new Loan("L1", "active", 2_000_000, 2_010_000, 3_000_000, NOW + 3 * 3_600_000L);
        Decision fromAccount = decide(seen(2_500_000, 2_000_000, true, 1_200, 150, List.of(due), false), HARD);
        assertEquals(Decision.repayInFull("L1", 2_010_000, "repay L1 in full (2.01 CU) from my agent account: it is due in 3 h and my "
                + "earnings do not cover it"), fromAccount);
        // 2.01 CU but not the thousandth more the node holds for a repayment in full: what it saw, as an amount
        Decision atOwed = decide(seen(2_011_000, 2_000_000, true, 1_200, 150, List.of(due), false), HARD);
        assertEquals(Decision.repay("L1", 2_010_000, "repay L1 (2.01 CU as I saw it) from my agent account: it is due in 3 h and my "
                + "earnings do not cover it"), atOwed);
        Decision part = decide(seen(1_000_000, 2_000_000, true, 1_200, 150, List.of(due), false), HARD);
        assertEquals(Decision.repay("L1", 1_000_000, "repay 1 CU of the 2.01 CU L1 owes: it is due in 3 h and that is all I have"), part);
    }

    @Test
    void lendsWhatIsIdleAboveItsReserveAndNothingWhileInDebt() {
        Decision d = decide(seen(12_000_000, 2_000_000), HARD);
        assertEquals(Decision.Kind.LEND, d.kind());
        assertEquals(7_000_000, d.amount(), "12 CU less the 5 CU reserve");
        assertEquals(10_000_000, decide(seen(100_000_000, 2_000_000), HARD).amount(), "at most 10 CU a run");
        Snapshot lentAlready = new Snapshot(NOW, 100_000_000, 2_000_000, 2_000_000, 9_500_000, 400, true, 1_200, 100_000_000, 150, 30,
                List.of(), List.of(TINY, LARGE), false, "");
        assertEquals(Decision.Kind.BUY, decide(lentAlready, HARD).kind(), "0.5 CU left to lend is below the 1 CU minimum");
        Loan loan = new Loan("L1", "active", 30_000_000, 30_100_000, 45_000_000, NOW + 5 * DAY);
        assertEquals(Decision.Kind.BUY, decide(seen(20_000_000, 2_000_000, true, 1_200, 150, List.of(loan), false), HARD).kind());
        assertEquals(Decision.Kind.BUY, decide(seen(5_900_000, 2_000_000), HARD).kind(), "0.9 CU idle is below the 1 CU minimum");
    }

    @Test
    void skipsATaskNoOfferIsWorth() {
        Task cheap = new Task("cheap", "Once upon a time", 48, ModelTier.TINY, 50_000);
        Decision d = decide(seen(0, 2_000_000), cheap);
        assertEquals(Decision.Kind.SKIP, d.kind());
        assertTrue(d.reason().startsWith("cheap is not worth ordering"), d.reason());
    }

    @Test
    void anOfferTheNodeRefusedIsNotProposedAgain() {
        var ruledOut = new Planner.RuledOut(Set.of(LARGE.key()), Set.of());
        Decision d = planner.decide(seen(0, 2_000_000), HARD, List.of(), ruledOut);
        assertEquals(TINY, d.offer());
        var all = new Planner.RuledOut(Set.of(LARGE.key(), TINY.key()), Set.of());
        Decision none = planner.decide(seen(0, 2_000_000), HARD, List.of(), all);
        assertEquals(Decision.of(Decision.Kind.SKIP, "every offer for hard was refused"), none);
    }
}
