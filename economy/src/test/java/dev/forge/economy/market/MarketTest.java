package dev.forge.economy.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketTest {
    static final long CU = Fixtures.CU;
    static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    long smallPrice(Market market) {
        return market.pricing().stream().filter(p -> p.tier() == ModelTier.SMALL).findFirst().orElseThrow().pricePerKiloToken();
    }

    @Test
    void sustainedDemandRaisesThePriceAndIdlenessLowersItWithinBounds() {
        try (var world = new MarketWorld(dir)) {
            world.agent("alice");
            world.provider("p1");
            world.market.offer(new Offer("p1", "qwen", ModelTier.SMALL, 0, 6_000));
            long base = 5 * CU;
            assertEquals(base, smallPrice(world.market), "utilization starts at 0.5: factor 1.0");

            List<Long> prices = new ArrayList<>();
            for (int minute = 0; minute < 12; minute++) {
                world.trade("alice", "p1", "qwen", 12_000, CU / 10); // twice the capacity, every minute
                world.clock.advance(MINUTE);
                prices.add(smallPrice(world.market));
            }
            for (int i = 1; i < prices.size(); i++) assertTrue(prices.get(i) >= prices.get(i - 1), prices.toString());
            assertTrue(prices.getLast() > base * 2, "demand at twice capacity heads for factor 2.5: " + prices);
            assertTrue(prices.getLast() <= base * 3, "never above the bound");

            world.clock.advance(120 * MINUTE);
            assertEquals(base / 2, smallPrice(world.market), "idle: factor 0.5, the lower bound");
            assertEquals(CU / 2, world.market.pricing().getFirst().pricePerKiloToken(), "TINY, never traded, idles too");
        }
    }

    @Test
    void theSameTradesGiveTheSamePrices() {
        long[] results = new long[2];
        for (int run = 0; run < 2; run++) {
            try (var world = new MarketWorld(dir.resolve("run" + run))) {
                world.agent("alice");
                world.provider("p1");
                world.market.offer(new Offer("p1", "qwen", ModelTier.SMALL, 0, 6_000));
                for (int i = 0; i < 20; i++) {
                    world.trade("alice", "p1", "qwen", 1_000 + 700 * i, CU / 100);
                    world.clock.advance(17_000);
                }
                results[run] = smallPrice(world.market);
            }
        }
        assertEquals(results[0], results[1]);
        assertNotEquals(5 * CU, results[0], "the trades moved it");
    }

    @Test
    void reputationComesFromEvidenceAndIsRebuiltFromTheLedgerAlone() {
        int before;
        try (var world = new MarketWorld(dir)) {
            world.agent("alice");
            world.provider("good");
            world.provider("flaky");
            assertEquals(500, world.market.reputation("good").score(), "a new provider starts in the middle");
            for (int i = 0; i < 20; i++) world.trade("alice", "good", "qwen", 100, CU / 100);
            for (int i = 0; i < 8; i++) world.failedTrade("alice", "flaky", CU);
            world.trade("alice", "flaky", "qwen", 100, CU / 100);
            Reputation good = world.market.reputation("good");
            assertEquals(new Reputation("good", 20, 20, 0, 20 * CU / 100), good);
            assertEquals(1000 * 25 / 30, good.score());
            assertEquals(1000 * 6 / 19, world.market.reputation("flaky").score(), "1 good, 8 failed");
            before = world.market.reputation("flaky").score();
        }
        try (var world = new MarketWorld(dir)) {
            assertEquals(before, world.market.reputation("flaky").score(), "a new market over the same ledger agrees");
            assertEquals(20, world.market.reputation("good").good());
        }
    }

    @Test
    void theThreeRouteModesChooseDifferentProviders() {
        try (var world = new MarketWorld(dir)) {
            world.agent("alice");
            for (String p : List.of("cheap", "best", "middle")) world.provider(p);
            // Reputations: cheap 285 (mostly failures), best 950, middle 902.
            for (int i = 0; i < 10; i++) world.failedTrade("alice", "cheap", CU / 10);
            world.trade("alice", "cheap", "m", 10, CU / 100);
            for (int i = 0; i < 90; i++) world.trade("alice", "best", "m", 10, CU / 100);
            for (int i = 0; i < 60; i++) world.trade("alice", "middle", "m", 10, CU / 100);
            for (int i = 0; i < 2; i++) world.failedTrade("alice", "middle", CU / 10);
            world.market.offer(new Offer("cheap", "m", ModelTier.TINY, 0, 100_000));
            world.market.offer(new Offer("best", "m", ModelTier.TINY, 4 * CU, 100_000));
            world.market.offer(new Offer("middle", "m", ModelTier.TINY, 2 * CU, 100_000));

            Route cost = world.market.route(new RouteRequest("m", 100, 100, RouteMode.COST, 0));
            Route quality = world.market.route(new RouteRequest("m", 100, 100, RouteMode.QUALITY, 0));
            Route balanced = world.market.route(new RouteRequest("m", 100, 100, RouteMode.BALANCED, 0));
            assertEquals("cheap", cost.chosen().provider(), cost.reason());
            assertEquals("best", quality.chosen().provider(), quality.reason());
            assertEquals("middle", balanced.chosen().provider(), balanced.candidates().toString());
            assertEquals(3, balanced.candidates().size());
            assertTrue(cost.reason().contains("cheapest") && quality.reason().contains("reputation"), quality.reason());
            assertEquals(Cu.cost(200, 4 * CU), quality.chosen().maxCost());

            Route capped = world.market.route(new RouteRequest("m", 100, 100, RouteMode.QUALITY, 2 * CU));
            assertEquals("middle", capped.chosen().provider(), "best is above the max price");
            var left = capped.candidates().stream().filter(c -> c.provider().equals("best")).findFirst().orElseThrow();
            assertTrue(left.excluded().contains("above your max"), left.excluded());
            assertNull(capped.chosen().excluded());
            var none = assertThrows(MarketException.class,
                    () -> world.market.route(new RouteRequest("m", 1, 1, RouteMode.COST, 1)));
            assertEquals(MarketException.Code.NO_ROUTE, none.code());
        }
    }

    @Test
    void providersShowPriceReputationAndLoadAndAQuoteCostsARequest() {
        try (var world = new MarketWorld(dir)) {
            world.agent("alice");
            world.provider("p1");
            world.provider("p2");
            world.market.offer(new Offer("p1", "llama", ModelTier.MEDIUM, 0, 1_000));
            world.market.offer(new Offer("p2", "llama", ModelTier.MEDIUM, 30 * CU, 1_000));
            world.trade("alice", "p1", "llama", 2_000, CU);
            world.clock.advance(MINUTE);
            List<ProviderView> views = world.market.providers("llama");
            assertEquals(List.of("p1", "p2"), views.stream().map(v -> v.offer().provider()).toList());
            assertTrue(views.get(0).loadPpm() > views.get(1).loadPpm(), "p1 served twice its capacity, p2 nothing");
            assertEquals(30 * CU, views.get(1).pricePerKiloToken(), "its floor is above the market price");
            Quote quote = world.market.quote("llama", 50, 200);
            assertEquals(ModelTier.MEDIUM, quote.tier());
            assertEquals(Cu.cost(250, quote.pricePerKiloToken()), quote.maxCost());
        }
    }

    @Test
    void badOffersAndRequestsAreRefused() {
        try (var world = new MarketWorld(dir)) {
            world.agent("alice");
            assertEquals(MarketException.Code.INVALID_ARGUMENT, assertThrows(MarketException.class,
                    () -> new Offer("alice", "m", ModelTier.TINY, -1, 10)).code());
            assertEquals(MarketException.Code.INVALID_ARGUMENT, assertThrows(MarketException.class,
                    () -> new Offer("alice", "m", ModelTier.TINY, 0, 0)).code());
            assertEquals(MarketException.Code.UNKNOWN_ACCOUNT, assertThrows(MarketException.class,
                    () -> world.market.offer(new Offer("nobody", "m", ModelTier.TINY, 0, 10))).code());
            assertEquals(MarketException.Code.NOT_A_PROVIDER, assertThrows(MarketException.class,
                    () -> world.market.offer(new Offer("treasury", "m", ModelTier.TINY, 0, 10))).code());
            assertEquals(MarketException.Code.NO_OFFER, assertThrows(MarketException.class,
                    () -> world.market.quote("nothing", 1, 1)).code());
            assertEquals(MarketException.Code.INVALID_ARGUMENT, assertThrows(MarketException.class,
                    () -> new RouteRequest("m", -1, 1, RouteMode.COST, 0)).code());
        }
    }
}
