package dev.forge.economy.work;

import static dev.forge.economy.work.ProviderSide.chatOrder;
import static dev.forge.economy.work.ProviderSide.text;
import static dev.forge.economy.work.WorkFixtures.ENGINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Limits;
import dev.forge.economy.market.MarketException;
import dev.forge.economy.market.MarketWorld;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.market.Offer;
import dev.forge.economy.market.ProviderFilter;
import dev.forge.economy.market.ProviderView;
import dev.forge.economy.market.Route;
import dev.forge.economy.market.RouteMode;
import dev.forge.economy.market.RouteRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The market's route and providers over rates from real live checks, with a buyer's filters. */
class ReputationRouteTest {
    static final long CU = Limits.MICRO_PER_CU;
    @TempDir Path dir;

    @Test
    void aProviderWhoseBodiesAreDeletedStopsBeingChosenByABuyerWithAMinimumRate() throws Exception {
        var book = new ChainBook();
        Map<String, ProviderSide> sides = new HashMap<>();
        try (var world = new MarketWorld(dir.resolve("ledger"), book::rate)) {
            for (String id : List.of("bob", "carol", "dave")) {
                world.provider(id);
                sides.put(id, new ProviderSide(id, WorkFixtures.key(20 + sides.size()), dir.resolve(id), ENGINE));
            }
            world.market.offer(new Offer("bob", "tiny", ModelTier.TINY, 3 * CU, 100_000));
            world.market.offer(new Offer("carol", "tiny", ModelTier.TINY, 2 * CU, 100_000));
            world.market.offer(new Offer("dave", "tiny", ModelTier.TINY, 1 * CU, 100_000));
            var proofs = new LogProofsByProvider(sides);
            var live = new LiveChecks(book, new LiveChecks.Sources(p -> sides.get(p).bodies, proofs, null,
                    p -> sides.get(p).publicKey()), new LiveChecks.Schedule(60_000, 64, 3_600_000, 0), world.clock, new Random(1));
            long nonce = 0;
            for (int i = 0; i < 40; i++) {
                for (String id : List.of("bob", "carol")) {
                    byte[] input = text(id + " prompt " + i);
                    Chain c = sides.get(id).deliver(chatOrder(id, input, ++nonce, world.clock.millis() + 60_000), input,
                            world.clock.millis());
                    // Each chain paid 2 CU: enough evidence to move the rate well past the prior.
                    live.arrive(new Chain(c.order(), c.attestation(), 2 * CU, c.settledAt()), new Verification(List.of()));
                }
            }
            var strict = new ProviderFilter(900_000, 20);
            RouteRequest cheapest = new RouteRequest("tiny", 10, 10, RouteMode.COST, 0, strict);
            assertEquals("dave", world.market.route(new RouteRequest("tiny", 10, 10, RouteMode.COST, 0)).chosen().provider(),
                    "without filters the cheapest wins");
            Route before = world.market.route(cheapest);
            assertEquals("carol", before.chosen().provider(), before.candidates().toString());
            var daveLeft = before.candidates().stream().filter(c -> c.provider().equals("dave")).findFirst().orElseThrow();
            assertTrue(daveLeft.excluded().startsWith("verification rate 50.0% is below your minimum of 90.0%"), daveLeft.excluded());
            assertEquals(List.of("bob", "carol"), world.market.providers("tiny", strict).stream()
                    .map(v -> v.offer().provider()).sorted().toList());
            ProviderView carolView = world.market.providers("tiny").stream().filter(v -> v.offer().provider().equals("carol"))
                    .findFirst().orElseThrow();
            assertEquals("100.0% of 40 chains verifiable, 40 completed", carolView.verification().describe());

            try (var files = Files.list(dir.resolve("carol"))) {
                for (Path f : files.toList()) Files.delete(f);
            }
            world.clock.advance(60_000);
            live.runDue();
            assertEquals("0.0% of 40 chains verifiable, 40 completed", book.rate("carol").describe());
            Route after = world.market.route(cheapest);
            assertEquals("bob", after.chosen().provider(), after.candidates().toString());
            var carolLeft = after.candidates().stream().filter(c -> c.provider().equals("carol")).findFirst().orElseThrow();
            assertTrue(carolLeft.excluded().contains("0.0% of 40 chains verifiable"), carolLeft.excluded());

            var tooMany = new RouteRequest("tiny", 10, 10, RouteMode.COST, 0, new ProviderFilter(0, 41));
            var none = assertThrows(MarketException.class, () -> world.market.route(tooMany));
            assertEquals(MarketException.Code.NO_ROUTE, none.code());
            assertTrue(none.getMessage().contains("40 completed orders, below your minimum of 41"), none.getMessage());
            assertEquals(MarketException.Code.INVALID_ARGUMENT,
                    assertThrows(MarketException.class, () -> new ProviderFilter(1_000_001, 0)).code());
            assertEquals(MarketException.Code.INVALID_ARGUMENT,
                    assertThrows(MarketException.class, () -> new ProviderFilter(0, -1)).code());
        }
    }

    /** The node's view of every provider's served log: each provider answers for itself. */
    record LogProofsByProvider(Map<String, ProviderSide> sides) implements LogProofs {
        @Override
        public java.util.Optional<TreeHead> latestHead(String provider) throws Bodies.Unreachable {
            return sides.get(provider).latestHead(provider);
        }

        @Override
        public java.util.Optional<dev.forge.economy.merkle.InclusionProof> inclusion(String provider, long index, long size)
                throws Bodies.Unreachable {
            return sides.get(provider).inclusion(provider, index, size);
        }

        @Override
        public java.util.Optional<dev.forge.economy.merkle.ConsistencyProof> consistency(String provider, long from, long to)
                throws Bodies.Unreachable {
            return sides.get(provider).consistency(provider, from, to);
        }
    }
}
