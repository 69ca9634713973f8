package dev.forge.economy.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Fixtures;
import dev.forge.economy.market.MarketException;
import dev.forge.economy.market.MarketException.Code;
import dev.forge.economy.market.MarketWorld;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LendingTest {
    static final long CU = Fixtures.CU;
    static final long DAY = LendingConfig.DAY;

    @TempDir
    Path dir;

    /** Lenders ann (600 CU) and ben (300 CU); bob has traded 10 CU, so his credit is 350. */
    static Lending pool(MarketWorld world, LendingConfig config) {
        for (String a : List.of("ann", "ben", "bob", "eve")) world.agent(a);
        world.provider("shop");
        world.trade("bob", "shop", "m", 100, 10 * CU);
        var lending = new Lending(world.ledger, config, world.clock);
        lending.deposit("ann", 600 * CU, "d1");
        lending.deposit("ben", 300 * CU, "d1");
        return lending;
    }

    long balance(MarketWorld world, String account) {
        return world.ledger.account(account).orElseThrow().balance();
    }

    @Test
    void aLoanRunsItsWholeLifeAndTheLendersArePaidWithInterest() {
        try (var world = new MarketWorld(dir); var lending = pool(world, LendingConfig.DEFAULT)) {
            CreditScore before = lending.credit("bob");
            assertEquals(350, before.score(), before.explanation());
            long bobBefore = balance(world, "bob");

            Loan loan = lending.borrow("bob", 200 * CU, 30 * DAY, 300 * CU);
            assertEquals(LendingConfig.DEFAULT.rateBps(350), loan.rateBps());
            assertEquals(4_679, loan.rateBps(), "50% at score 300, 5% at 1000, in a straight line");
            assertEquals(java.util.Map.of("ann", 400 * CU / 3, "ben", 200 * CU / 3 + 1), loan.stakes(),
                    "2 : 1; the odd µCU to the larger remainder");
            assertEquals(bobBefore + 200 * CU - 300 * CU, balance(world, "bob"));
            assertEquals(300 * CU, balance(world, "escrow:L1"));

            world.clock.advance(10 * DAY);
            long interest = java.math.BigInteger.valueOf(200 * CU * 4_679L).multiply(java.math.BigInteger.valueOf(10 * DAY))
                    .divide(java.math.BigInteger.valueOf(10_000L * Loan.YEAR_MILLIS)).longValueExact();
            assertEquals(2_563_835, interest, "200 CU at 46.79% a year for 10 days: 2.563835 CU");
            assertEquals(200 * CU + interest, lending.loan("L1").owed(world.clock.millis()));
            lending.repay("bob", "L1", 100 * CU);
            Loan half = lending.loan("L1");
            assertEquals(interest, half.interestPaid(), "interest first");
            assertEquals(100 * CU - interest, half.principalPaid());
            world.clock.advance(5 * DAY);
            Loan repaid = lending.repay("bob", "L1", half.owed(world.clock.millis()));
            assertEquals(Loan.Status.REPAID, repaid.status());
            assertEquals(0, balance(world, "escrow:L1"), "collateral returned");

            long paid = repaid.interestPaid() + repaid.principal();
            assertEquals(bobBefore - repaid.interestPaid(), balance(world, "bob"), "bob paid exactly the interest");
            PoolView pool = lending.pool();
            assertEquals(900 * CU + repaid.interestPaid(), pool.cash());
            assertEquals(paid, pool.cash() - 700 * CU, "everything came back to the pool");
            long annGain = pool.lenders().get("ann") - 600 * CU;
            long benGain = pool.lenders().get("ben") - 300 * CU;
            assertTrue(Math.abs(annGain - 2 * benGain) <= 2, "interest shared 2 : 1: " + annGain + " " + benGain);
            lending.withdraw("ann", pool.lenders().get("ann"), "w1");
            assertEquals(1_000 * CU + annGain, balance(world, "ann"), "ann takes out her deposit with interest");
            assertTrue(lending.credit("bob").score() > before.score(), "a repaid loan raises credit");
            assertTrue(world.ledger.invariants().hold());
        }
    }

    @Test
    void aLoanPastItsTermDefaultsOnTheLiveSchedule() throws Exception {
        var fast = new LendingConfig(150, 25, 500, 20, 25, 30 * DAY, 300, 500, 5_000, 5);
        try (var world = new MarketWorld(dir); var lending = pool(world, fast)) {
            lending.borrow("bob", 100 * CU, 7 * DAY, 160 * CU);
            int creditBefore = lending.credit("bob").score();
            lending.start();
            world.clock.advance(7 * DAY + 1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (lending.loan("L1").status() == Loan.Status.ACTIVE && System.nanoTime() < deadline) Thread.sleep(5);

            assertEquals(Loan.Status.DEFAULTED, lending.loan("L1").status(), "no one called defaultDueLoans but the schedule");
            assertEquals(0, balance(world, "escrow:L1"));
            assertEquals(900 * CU + 60 * CU, lending.pool().cash(), "lenders hold the collateral: 100 lent out + 160 seized");
            assertEquals(960 * CU * 2 / 3, lending.pool().lenders().get("ann"), 1, "seized 2 : 1");
            CreditScore after = lending.credit("bob");
            assertTrue(after.score() < creditBefore, after.explanation());
            assertEquals(1, after.defaults());
            assertEquals(Code.LOAN_CLOSED, code(() -> lending.repay("bob", "L1", CU)));
        }
    }

    @Test
    void theLoansAreRebuiltFromTheLedgerAlone() {
        Loan repaid;
        Loan open;
        int credit;
        try (var world = new MarketWorld(dir); var lending = pool(world, LendingConfig.DEFAULT)) {
            lending.borrow("bob", 50 * CU, 10 * DAY, 80 * CU);
            world.clock.advance(DAY);
            repaid = lending.repay("bob", "L1", lending.loan("L1").owed(world.clock.millis()));
            open = lending.borrow("bob", 70 * CU, 10 * DAY, 110 * CU);
            world.clock.advance(DAY);
            lending.repay("bob", "L2", 20 * CU);
            open = lending.loan("L2");
            credit = lending.credit("bob").score();
        }
        try (var world = new MarketWorld(dir); var lending = new Lending(world.ledger, LendingConfig.DEFAULT, world.clock)) {
            world.clock.advance(2 * DAY); // the same moment as before the restart
            assertEquals(repaid, lending.loan("L1"));
            assertEquals(open, lending.loan("L2"));
            assertEquals(credit, lending.credit("bob").score());
            assertEquals("L3", lending.borrow("bob", 10 * CU, DAY, 15 * CU).id());
        }
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        try (var world = new MarketWorld(dir)) {
            for (String a : List.of("ann", "bob", "eve")) world.agent(a);
            world.provider("shop");
            world.trade("bob", "shop", "m", 100, 10 * CU);
            var lending = new Lending(world.ledger, LendingConfig.DEFAULT, world.clock);
            assertEquals(Code.POOL_EMPTY, code(() -> lending.borrow("bob", CU, DAY, 2 * CU)));
            lending.deposit("ann", 400 * CU, "d1");
            Loan loan = lending.borrow("bob", 50 * CU, DAY, 75 * CU);
            long transfers = world.ledger.transferCount();

            assertEquals(Code.INVALID_ARGUMENT, code(() -> lending.borrow("bob", CU, -DAY, 2 * CU)));
            assertEquals(Code.TERM_TOO_LONG, code(() -> lending.borrow("bob", CU, 31 * DAY, 2 * CU)));
            assertEquals(Code.COLLATERAL_TOO_LOW, code(() -> lending.borrow("bob", 10 * CU, DAY, 11_899_999)), "119% at 350");
            assertEquals(Code.LOAN_TOO_LARGE, code(() -> lending.borrow("bob", 120 * CU, DAY, 200 * CU)));
            assertEquals(Code.CREDIT_TOO_LOW, code(() -> lending.borrow("eve", CU, DAY, 2 * CU)));
            assertEquals(Code.INSUFFICIENT_FUNDS, code(() -> lending.borrow("bob", 90 * CU, DAY, 5_000 * CU)));
            assertEquals(Code.NOT_YOUR_LOAN, code(() -> lending.repay("eve", loan.id(), CU)));
            assertEquals(Code.REPAYMENT_TOO_LARGE, code(() -> lending.repay("bob", loan.id(), 51 * CU)));
            assertEquals(Code.INVALID_ARGUMENT, code(() -> lending.repay("bob", loan.id(), -1)));
            assertEquals(Code.NOT_LENT_OUT, code(() -> lending.withdraw("ann", 351 * CU, "w1")));
            assertEquals(Code.UNKNOWN_ACCOUNT, code(() -> lending.deposit("nobody", CU, "d1")));
            assertEquals(transfers, world.ledger.transferCount(), "no refusal moved money");

            for (int i = 0; i < 3; i++) lending.borrow("bob", 90 * CU, DAY, 135 * CU); // 320 of 400 lent
            assertEquals(Code.POOL_RESERVE, code(() -> lending.borrow("bob", 10 * CU, DAY, 15 * CU)), "80 must stay");
            lending.withdraw("ann", 80 * CU, "w2");
            assertEquals(0, lending.pool().cash(), "what was not lent out came back, all of it");
        }
    }

    @Test
    void theCollateralFallsWithTheScoreFromTheMaximumToTheFloor() {
        var c = LendingConfig.DEFAULT;
        assertEquals(150, c.collateralPercent(0), "below the minimum: the maximum");
        assertEquals(150, c.collateralPercent(300));
        assertEquals(150, c.collateralPercent(301), "a fall of 0.625 rounds down: the percent rounds up");
        assertEquals(149, c.collateralPercent(302));
        assertEquals(88, c.collateralPercent(400), "150 - 125 × 100 / 200 = 87.5, rounded up");
        assertEquals(26, c.collateralPercent(499));
        assertEquals(25, c.collateralPercent(500));
        assertEquals(25, c.collateralPercent(1_000), "never below the floor: no loan is unsecured");
        assertEquals(2_640_000, c.collateralFor(3 * CU, 400));
        assertEquals(1, c.collateralFor(1, 1_000), "a quarter of a µCU rounds up to one");
        assertEquals("score 400 needs 88% collateral: 150% at the minimum score 300, falling in a straight line to 25% at 500 "
                + "and above", c.collateralWhy(400));
        for (var config : List.of(c, new LendingConfig(100, 100, 301, 20, 25, DAY, 300, 0, 0, 1),
                new LendingConfig(400, 1, 1_000, 0, 100, DAY, 0, 0, 0, 1), new LendingConfig(150, 25, 999, 20, 25, DAY, 998, 0, 0, 1))) {
            assertEquals(config.collateralPercent(), config.collateralPercent(config.minCreditScore()), config.toString());
            assertEquals(config.floorCollateralPercent(), config.collateralPercent(config.floorCreditScore()), config.toString());
            for (int score = 1; score <= 1_000; score++) {
                assertTrue(config.collateralPercent(score) <= config.collateralPercent(score - 1), "monotone at " + score);
                assertTrue(config.collateralPercent(score) >= config.floorCollateralPercent(), "floor at " + score);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new LendingConfig(99, 25, 500, 20, 25, DAY, 300, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LendingConfig(150, 0, 500, 20, 25, DAY, 300, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LendingConfig(150, 151, 500, 20, 25, DAY, 300, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LendingConfig(150, 25, 300, 20, 25, DAY, 300, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LendingConfig(150, 25, 1_001, 20, 25, DAY, 300, 0, 0, 1));
    }

    @Test
    void aBorrowerWithHistoryLocksLessThanItBorrowsAndTheLedgerStillBalances() {
        try (var world = new MarketWorld(dir); var lending = pool(world, LendingConfig.DEFAULT)) {
            world.agent("amy");
            world.trade("amy", "shop", "m", 100, 10 * CU);
            world.clock.advance(90 * DAY); // 90 days old: age 200, so 550
            assertEquals(550, lending.credit("bob").score(), lending.credit("bob").explanation());
            long transfers = world.ledger.transferCount();
            assertEquals(Code.COLLATERAL_TOO_LOW, code(() -> lending.borrow("bob", 100 * CU, 10 * DAY, 25 * CU - 1)));
            assertEquals(transfers, world.ledger.transferCount(), "a refused loan moves nothing");
            long bobBefore = balance(world, "bob");

            Loan loan = lending.borrow("bob", 100 * CU, 10 * DAY, 25 * CU);
            assertEquals(bobBefore + 75 * CU, balance(world, "bob"), "25% locked: 75 CU more to spend");
            assertEquals(25 * CU, balance(world, "escrow:L1"));
            assertTrue(world.ledger.invariants().hold());
            world.clock.advance(DAY);
            long owed = lending.loan(loan.id()).owed(world.clock.millis());
            long before = world.ledger.transferCount();
            assertEquals(Code.REPAYMENT_TOO_LARGE, code(() -> lending.repayInFull("bob", loan.id(), owed - 1)), "more owed than offered");
            assertEquals(Code.NOT_YOUR_LOAN, code(() -> lending.repayInFull("amy", loan.id(), owed)));
            assertEquals(before, world.ledger.transferCount(), "refused, nothing moved");
            Loan repaid = lending.repayInFull("bob", loan.id(), owed + 1_000);
            assertEquals(owed, repaid.principal() + repaid.interestPaid(), "exactly what was owed, not the most offered");
            assertEquals(Loan.Status.REPAID, repaid.status());
            assertEquals(bobBefore - repaid.interestPaid(), balance(world, "bob"), "collateral back, interest paid");

            // The lenders' risk is what the collateral does not cover: a default leaves them 25 of 100.
            lending.borrow("amy", 100 * CU, DAY, 25 * CU);
            long cash = lending.pool().cash();
            world.clock.advance(DAY);
            lending.defaultDueLoans();
            assertEquals(Loan.Status.DEFAULTED, lending.loan("L2").status());
            assertEquals(cash + 25 * CU, lending.pool().cash(), "the 25 CU of collateral is all the pool gets back");
            assertEquals(0, lending.pool().lent());
            assertTrue(LendingConfig.DEFAULT.collateralPercent(lending.credit("amy").score()) > 25, "a default costs the credit line");
            assertTrue(world.ledger.invariants().hold());
        }
    }

    @Test
    void sharesAddUpExactly() {
        var split = Shares.split(100, java.util.Map.of("a", 1L, "b", 1L, "c", 1L));
        assertEquals(java.util.Map.of("a", 34L, "b", 33L, "c", 33L), split);
        assertEquals(7, Shares.split(7, java.util.Map.of("x", 3L, "y", 1_000_000L)).values().stream().mapToLong(Long::longValue).sum());
    }

    static Code code(Executable call) {
        return assertThrows(MarketException.class, call).code();
    }
}
