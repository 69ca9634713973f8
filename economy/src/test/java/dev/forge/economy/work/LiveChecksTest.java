package dev.forge.economy.work;

import static dev.forge.economy.work.ProviderSide.chatOrder;
import static dev.forge.economy.work.ProviderSide.text;
import static dev.forge.economy.work.WorkFixtures.BUYER;
import static dev.forge.economy.work.WorkFixtures.ENGINE;
import static dev.forge.economy.work.WorkFixtures.PROVIDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveChecksTest {
    static final long HOUR = 3_600_000L;
    @TempDir Path dir;
    final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    final ChainBook book = new ChainBook();
    final Map<String, ProviderSide> sides = new HashMap<>();
    final Map<String, WorkVerifier.ChainTip> tips = new HashMap<>();
    long nonce;

    private ProviderSide side(String id, Ed25519.KeyPair key) {
        var side = new ProviderSide(id, key, dir.resolve(id), ENGINE);
        sides.put(id, side);
        return side;
    }

    /** The node's sources: each provider's own bodies and log, its registered key, and this machine's model. */
    private LiveChecks live(LiveChecks.Schedule schedule, Reexecution reexecution, long seed) {
        LogProofs proofs = new ReputationRouteTest.LogProofsByProvider(sides);
        var sources = new LiveChecks.Sources(p -> sides.get(p).bodies, proofs, reexecution, p -> sides.get(p).publicKey());
        return new LiveChecks(book, sources, schedule, clock, new Random(seed));
    }

    /** A delivery as the node takes it: the provider runs and attests, the record checks run, then the live ones. */
    private LiveChecks.Result deliver(LiveChecks live, ProviderSide side, byte[] output) {
        byte[] input = text("prompt " + (++nonce));
        var order = chatOrder(side.id, input, nonce, clock.millis() + 60_000);
        Chain chain = output == null ? side.deliver(order, input, clock.millis()) : side.deliver(order, input, output, clock.millis());
        var context = new WorkVerifier.Context(clock.millis(), "node-a", s -> false,
                tips.getOrDefault(side.id, WorkVerifier.ChainTip.empty()));
        var records = WorkVerifier.verify(order, chain.attestation(), Ed25519.PublicKey.decode(BUYER.publicKey()),
                side.publicKey(), context);
        tips.put(side.id, context.chain().after(chain.attestation()));
        return live.arrive(chain, records);
    }

    @Test
    void deletingAProvidersBodiesMakesItsChainsFailAtTheNextRound() throws Exception {
        var every = new LiveChecks.Schedule(60_000, 64, 24 * HOUR, 0);
        var live = live(every, null, 1);
        var bob = side("bob", PROVIDER);
        var carol = side("carol", WorkFixtures.key(10));
        for (int i = 0; i < 10; i++) {
            assertEquals(Check.Verdict.PASS, deliver(live, bob, null).standing().verdict());
            assertEquals(Check.Verdict.PASS, deliver(live, carol, null).standing().verdict());
            clock.advance(1_000);
        }
        assertEquals("100.0% of 10 chains verifiable, 10 completed", book.rate("carol").describe());
        assertFalse(live.due());
        assertEquals(List.of(), live.runDue(), "nothing before the interval");

        try (var files = Files.list(dir.resolve("carol"))) {
            for (Path f : files.toList()) Files.delete(f);
        }
        clock.advance(60_000);
        assertTrue(live.due());
        var round = live.runDue();
        assertEquals(20, round.size(), "a sample of 64 takes every chain of both");
        assertEquals("100.0% of 10 chains verifiable, 10 completed", book.rate("bob").describe());
        assertEquals("0.0% of 10 chains verifiable, 10 completed", book.rate("carol").describe());
        assertTrue(book.rate("carol").ppm() < book.rate("bob").ppm());
        var failure = book.failures("carol").getFirst();
        assertEquals("body_gone", failure.check().code());
        assertEquals("availability.input", failure.check().name());
        assertFalse(live.due(), "the next round is an interval away");
    }

    @Test
    void silenceIsForgivenTwiceAndThenCountsAsFailing() {
        var live = live(new LiveChecks.Schedule(60_000, 64, 24 * HOUR, 0), null, 2);
        var bob = side("bob", PROVIDER);
        for (int i = 0; i < 3; i++) deliver(live, bob, null);
        bob.silent = true;
        for (int round = 1; round < ChainBook.MAX_UNREACHABLE; round++) {
            clock.advance(60_000);
            var results = live.runDue();
            assertTrue(results.stream().allMatch(r -> ChainBook.outcome(r.verification()) == ChainBook.Outcome.UNREACHABLE));
            assertEquals("100.0% of 3 chains verifiable, 3 completed", book.rate("bob").describe(), "round " + round);
        }
        clock.advance(60_000);
        live.runDue();
        assertEquals("0.0% of 3 chains verifiable, 3 completed", book.rate("bob").describe());
        assertEquals("unreachable", book.failures("bob").getFirst().check().code());
        bob.silent = false;
        clock.advance(60_000);
        live.runDue();
        assertEquals("100.0% of 3 chains verifiable, 3 completed", book.rate("bob").describe(), "an answer again restores it");
    }

    @Test
    void aForgedOutputFailsReexecutionOnTheSameKernelAndProvesNothingOnAnother() {
        var always = new LiveChecks.Schedule(60_000, 8, 24 * HOUR, 1000);
        var here = live(always, new TinyModel(ProviderSide.MODEL, ENGINE), 3);
        var bob = side("bob", PROVIDER);
        assertEquals(Check.Verdict.PASS, deliver(here, bob, null).standing().verdict());
        var forged = deliver(here, bob, text("an output no model gave"));
        assertTrue(forged.verification().checks().stream().filter(c -> c.name().startsWith("availability")).allMatch(Check::passed),
                "the forger serves bodies that match its digests");
        assertEquals(Check.Verdict.FAIL, forged.standing().verdict());
        assertEquals("output_differs", forged.standing().failure().code());
        assertEquals(1, book.rate("bob").verifying());

        var native_ = new Engine("jlama", "0.8.4", "native", "F32", "0.1.0", "");
        var elsewhere = live(always, new TinyModel(ProviderSide.MODEL, native_), 4);
        var rechecked = elsewhere.recheck(forged.chain(), true);
        assertEquals("kernel_differs", rechecked.verification().checks().getLast().code());
        assertEquals(Check.Verdict.PASS, rechecked.standing().verdict(), "a cross-kernel mismatch is not fraud");
    }

    @Test
    void aFailedRecordCheckOnArrivalFailsTheChain() {
        var live = live(new LiveChecks.Schedule(60_000, 8, 24 * HOUR, 0), null, 5);
        var bob = side("bob", PROVIDER);
        var chain = bob.deliver(chatOrder("bob", text("x"), 99, clock.millis() + 60_000), text("x"), clock.millis());
        var records = new Verification(List.of(Check.fail("binding.amount", "amount_exceeds_order", "too much")));
        var result = live.arrive(chain, records);
        assertEquals(Check.Verdict.FAIL, result.standing().verdict());
        assertEquals("amount_exceeds_order", result.standing().failure().code());
    }

    @Test
    void theDrawFavoursRecentAndValuableChainsAndRepeatsWithItsSeed() {
        long now = clock.millis();
        var order = chatOrder("bob", text("w"), 1, now + 60_000);
        var bob = side("bob", PROVIDER);
        var signed = bob.deliver(order, text("w"), now).attestation();
        assertEquals(2L << 16, LiveChecks.weight(new Chain(order, signed, 1, now), now, HOUR));
        assertEquals(2L << 15, LiveChecks.weight(new Chain(order, signed, 1, now - HOUR), now, HOUR));
        assertEquals(2L, LiveChecks.weight(new Chain(order, signed, 1, now - 100 * HOUR), now, HOUR), "old chains still weigh");
        assertEquals(1L << 16, LiveChecks.weight(new Chain(order, signed, 0, now), now, HOUR));
        assertEquals(21L << 16, LiveChecks.weight(new Chain(order, signed, 1_000_000, now), now, HOUR));

        // Forty chains, one a day old per step back: the newer half is drawn far more often.
        var schedule = new LiveChecks.Schedule(60_000, 4, 6 * HOUR, 0);
        var live = live(schedule, null, 6);
        for (int i = 0; i < 40; i++) {
            deliver(live, bob, null);
            clock.advance(HOUR);
        }
        int newer = 0, older = 0;
        for (int draw = 0; draw < 500; draw++) {
            List<Chain> sample = live.sample("bob", 4);
            assertEquals(4, sample.stream().distinct().count(), "a sample has no repeats");
            for (Chain c : sample) {
                if (c.logIndex() >= 21) newer++;
                else if (c.logIndex() < 20) older++;
            }
        }
        assertTrue(newer > 3 * older, newer + " newer against " + older + " older");
        assertTrue(older > 0, "older chains are still drawn");
        assertEquals(live(schedule, null, 7).sample("bob", 4), live(schedule, null, 7).sample("bob", 4), "same seed, same draw");
        assertNotEquals(live(schedule, null, 7).sample("bob", 40).stream().map(Chain::logIndex).toList(),
                live(schedule, null, 8).sample("bob", 40).stream().map(Chain::logIndex).toList());
    }

    @Test
    void theRateWeighsChainsByWhatTheyWerePaid() {
        var bob = side("bob", PROVIDER);
        var pass = new Verification(List.of(Check.pass("availability.input")));
        var fail = new Verification(List.of(Check.fail("availability.output", "body_gone", "gone")));
        for (int i = 0; i < 9; i++) {
            var order = chatOrder("bob", text("small " + i), 100 + i, clock.millis() + 60_000);
            var signed = bob.deliver(order, text("small " + i), clock.millis()).attestation();
            var chain = new Chain(order, signed, 1_000, clock.millis());
            book.add(chain);
            book.record(chain, pass, clock.millis());
        }
        var order = chatOrder("bob", text("large"), 200, clock.millis() + 60_000);
        var large = new Chain(order, bob.deliver(order, text("large"), clock.millis()).attestation(), 91_000, clock.millis());
        book.add(large);
        assertEquals("100.0% of 9 chains verifiable, 10 completed", book.rate("bob").describe(), "an unchecked chain is not counted yet");
        book.record(large, fail, clock.millis());
        assertEquals("9.0% of 10 chains verifiable, 10 completed", book.rate("bob").describe(), "9 of 100 thousand µCU verify");
        book.add(large); // the same chain again changes nothing
        assertEquals(10, book.rate("bob").completed());
        var other = new Chain(order, bob.deliver(order, text("large"), clock.millis()).attestation(), 1, clock.millis());
        var atTaken = new Chain(other.order(), SignedAttestation.sign(new Attestation(other.attestation().attestation().orderDigest(),
                "bob", ProviderSide.MODEL, ENGINE, order.order().replay(), order.order().inputDigest(),
                dev.forge.economy.crypto.Sha256.hashText("x"), 1, 1, "stop", 0, 0, 1, 1, 3, Attestation.noPrevious()), PROVIDER),
                1, clock.millis());
        assertEquals(WorkException.Code.INVALID_FIELD,
                org.junit.jupiter.api.Assertions.assertThrows(WorkException.class, () -> book.add(atTaken)).code(),
                "another attestation at a taken log index is refused");
    }
}
