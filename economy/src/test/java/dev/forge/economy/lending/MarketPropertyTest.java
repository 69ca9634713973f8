package dev.forge.economy.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Fixtures;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.market.Market;
import dev.forge.economy.market.MarketConfig;
import dev.forge.economy.market.MarketException;
import dev.forge.economy.market.MarketWorld;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.market.Offer;
import dev.forge.economy.market.TierPrice;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random market operations (trades, failed trades, offers, deposits, withdrawals,
 * loans, repayments, defaults, time passing) on a real ledger. After every one: the ledger's
 * invariants hold, the pool's money adds up to what moved through it, every loan's escrow holds
 * exactly its collateral, every limit held when a loan was made, prices stay in their bounds,
 * and a refusal changed nothing. At the end a market and a pool rebuilt from the ledger agree.
 */
class MarketPropertyTest {
    static final long CU = Fixtures.CU;
    static final List<String> AGENTS = List.of("a1", "a2", "a3", "a4");
    static final List<String> PROVIDERS = List.of("p1", "p2");
    static final LendingConfig CONFIG = LendingConfig.DEFAULT;

    @TempDir
    Path dir;

    long deposited;
    long withdrawn;
    long lent;
    long repaid;
    long seized;
    int refusals;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomMarketOperationsKeepEveryRule(long seed) {
        var random = new Random(seed);
        try (var world = new MarketWorld(dir); var lending = new Lending(world.ledger, CONFIG, world.clock)) {
            AGENTS.forEach(world::agent);
            PROVIDERS.forEach(world::provider);
            world.market.offer(new Offer("p1", "small", ModelTier.SMALL, 0, 5_000));
            world.market.offer(new Offer("p2", "large", ModelTier.LARGE, 0, 2_000));
            for (int step = 0; step < 1_500; step++) {
                long transfers = world.ledger.transferCount();
                try {
                    act(random, world, lending);
                } catch (MarketException | LedgerException refused) {
                    refusals++;
                    assertEquals(transfers, world.ledger.transferCount(), "a refusal moved money: " + refused);
                }
                check(world, lending);
            }
            assertTrue(refusals > 50 && lending.loans("a1").size() + lending.loans("a2").size() > 5,
                    "the walk exercised loans and refusals: " + refusals);
            rebuildAgrees(world, lending);
        }
    }

    private void act(Random random, MarketWorld world, Lending lending) {
        String agent = AGENTS.get(random.nextInt(AGENTS.size()));
        String other = AGENTS.get(random.nextInt(AGENTS.size()));
        switch (random.nextInt(10)) {
            case 0, 1 -> {
                String provider = PROVIDERS.get(random.nextInt(2));
                world.trade(agent, provider, provider.equals("p1") ? "small" : "large", 1 + random.nextInt(20_000),
                        1 + random.nextLong(20 * CU));
            }
            case 2 -> world.failedTrade(agent, PROVIDERS.get(random.nextInt(2)), 1 + random.nextLong(CU));
            case 3 -> {
                long amount = 1 + random.nextLong(300 * CU);
                lending.deposit(agent, amount, "d" + random.nextLong(1_000_000));
                deposited += amount;
            }
            case 4 -> {
                long amount = 1 + random.nextLong(200 * CU);
                lending.withdraw(agent, amount, "w" + random.nextLong(1_000_000));
                withdrawn += amount;
            }
            case 5, 6 -> borrow(random, world, lending, agent);
            case 7 -> repay(random, world, lending, agent, other);
            case 8 -> world.clock.advance(random.nextLong(3 * LendingConfig.DAY));
            default -> lending.defaultDueLoans().forEach(loan -> seized += loan.collateral());
        }
    }

    private void borrow(Random random, MarketWorld world, Lending lending, String agent) {
        long amount = 1 + random.nextLong(120 * CU);
        long term = 1 + random.nextLong(35 * LendingConfig.DAY);
        long collateral = amount * (100 + random.nextInt(150)) / 100;
        PoolView before = lending.pool();
        int needed = CONFIG.collateralPercent(lending.credit(agent).score()); // falls as the score rises
        Loan loan = lending.borrow(agent, amount, term, collateral);
        lent += loan.principal();
        assertEquals(amount, loan.principal());
        assertTrue(collateral * 100 >= amount * needed, "collateral limit at the score borrowed with");
        assertTrue(term <= CONFIG.maxTermMillis(), "term limit");
        assertTrue(amount <= before.funds() * CONFIG.maxLoanPercent() / 100, "share limit");
        assertTrue(before.cash() - amount >= before.funds() / 100 * CONFIG.reservePercent() - 1, "reserve");
        assertTrue(lending.credit(agent).score() >= CONFIG.minCreditScore(), "credit limit");
    }

    private void repay(Random random, MarketWorld world, Lending lending, String agent, String payer) {
        List<Loan> mine = lending.loans(agent).stream().filter(l -> l.borrower().equals(agent)
                && l.status() == Loan.Status.ACTIVE).toList();
        if (mine.isEmpty()) return;
        Loan loan = mine.get(random.nextInt(mine.size()));
        long owed = loan.owed(world.clock.millis());
        long amount = random.nextBoolean() ? owed : 1 + random.nextLong(owed + CU);
        lending.repay(payer, loan.id(), amount);
        repaid += amount;
    }

    private void check(MarketWorld world, Lending lending) {
        assertTrue(world.ledger.invariants().hold(), "ledger invariants");
        PoolView pool = lending.pool();
        assertEquals(deposited - withdrawn - lent + repaid + seized, pool.cash(), "pool money adds up");
        for (String agent : AGENTS) {
            for (Loan loan : lending.loans(agent)) {
                if (!loan.borrower().equals(agent)) continue;
                long escrow = world.ledger.account("escrow:" + loan.id()).orElseThrow().balance();
                assertEquals(loan.status() == Loan.Status.ACTIVE ? loan.collateral() : 0, escrow, loan.id());
                assertEquals(loan.principal(), loan.stakes().values().stream().mapToLong(Long::longValue).sum());
                assertTrue(loan.principalPaid() >= 0 && loan.principalPaid() <= loan.principal());
            }
        }
        for (TierPrice price : world.market.pricing()) {
            assertTrue(price.pricePerKiloToken() >= price.basePerKiloToken() / 2
                    && price.pricePerKiloToken() <= price.basePerKiloToken() * 3, price.toString());
        }
        for (String p : PROVIDERS) {
            int score = world.market.reputation(p).score();
            assertTrue(score >= 0 && score <= 1_000);
        }
    }

    private void rebuildAgrees(MarketWorld world, Lending lending) {
        var market = new Market(world.ledger, MarketConfig.DEFAULT, world.clock);
        market.offer(new Offer("p1", "small", ModelTier.SMALL, 0, 5_000));
        market.offer(new Offer("p2", "large", ModelTier.LARGE, 0, 2_000));
        assertEquals(world.market.pricing(), market.pricing());
        for (String p : PROVIDERS) assertEquals(world.market.reputation(p), market.reputation(p));
        try (var rebuilt = new Lending(world.ledger, CONFIG, world.clock)) {
            for (String a : AGENTS) {
                assertEquals(lending.loans(a), rebuilt.loans(a));
                assertEquals(lending.credit(a), rebuilt.credit(a));
            }
            assertEquals(lending.pool(), rebuilt.pool());
        }
    }
}
