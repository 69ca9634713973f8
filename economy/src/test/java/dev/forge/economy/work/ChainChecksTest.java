package dev.forge.economy.work;

import static dev.forge.economy.work.ProviderSide.chatOrder;
import static dev.forge.economy.work.ProviderSide.text;
import static dev.forge.economy.work.WorkFixtures.ENGINE;
import static dev.forge.economy.work.WorkFixtures.PROVIDER;
import static dev.forge.economy.work.WorkFixtures.STRANGER;
import static dev.forge.economy.work.WorkFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainChecksTest {
    @TempDir Path dir;

    private ProviderSide bob() {
        return new ProviderSide("bob", PROVIDER, dir.resolve("bob-bodies"), ENGINE);
    }

    private static Map<String, Check> byName(List<Check> checks) {
        return checks.stream().collect(Collectors.toMap(Check::name, Function.identity()));
    }

    @Test
    void bodiesThatAreThereAndMatchPassAndAreHandedOn() throws Exception {
        var bob = bob();
        byte[] input = text("Once upon a time");
        Chain chain = bob.deliver(chatOrder("bob", input, 1, T0 + 60_000), input, T0);
        var found = ChainChecks.availability(chain.order(), chain.attestation().attestation(), bob.bodies);
        assertTrue(found.checks().stream().allMatch(Check::passed), found.checks().toString());
        assertEquals(List.of("availability.input", "availability.output"), found.checks().stream().map(Check::name).toList());
        assertEquals("Once upon a time", new String(found.input()));
        assertNotNull(found.output());
    }

    @Test
    void aDeletedBodyIsGoneAndFailsAnAlteredOneMismatchesAndSilenceIsInconclusive() throws Exception {
        var bob = bob();
        byte[] input = text("a prompt");
        Chain chain = bob.deliver(chatOrder("bob", input, 1, T0 + 60_000), input, T0);
        Attestation a = chain.attestation().attestation();

        Files.delete(bob.bodies.path(a.outputDigest()));
        var gone = byName(ChainChecks.availability(chain.order(), a, bob.bodies).checks());
        assertTrue(gone.get("availability.input").passed());
        assertEquals(new Check("availability.output", Check.Verdict.FAIL, "body_gone",
                "the body " + ChainChecks.hex(a.outputDigest()) + " is gone"), gone.get("availability.output"));

        Files.write(bob.bodies.path(a.inputDigest()), text("another prompt"));
        var altered = byName(ChainChecks.availability(chain.order(), a, bob.bodies).checks());
        assertEquals("body_mismatch", altered.get("availability.input").code());
        assertEquals(Check.Verdict.FAIL, altered.get("availability.input").verdict());

        // Where each body was, a folder: reading it is an I/O error, not "no such file".
        for (byte[] digest : List.of(a.inputDigest(), a.outputDigest())) {
            Files.deleteIfExists(bob.bodies.path(digest));
            Files.createDirectories(bob.bodies.path(digest));
        }
        var silent = ChainChecks.availability(chain.order(), a, bob.bodies).checks();
        assertTrue(silent.stream().allMatch(c -> c.verdict() == Check.Verdict.INCONCLUSIVE
                && c.code().equals("bodies_unreachable")), silent.toString());
    }

    @Test
    void reexecutionPassesOnTheSameBytesFailsOnTheSameKernelAndIsInconclusiveOnAnother() {
        var bob = bob();
        byte[] input = text("tell a story");
        var order = chatOrder("bob", input, 1, T0 + 60_000);
        Chain honest = bob.deliver(order, input, T0);
        var sameKernel = new TinyModel(ProviderSide.MODEL, ENGINE);
        var otherKernel = new TinyModel(ProviderSide.MODEL, new Engine("jlama", "0.8.4", "native", "F32", "0.1.0", ""));
        var otherType = new TinyModel(ProviderSide.MODEL, new Engine("jlama", "0.8.4", "panama", "I8", "0.1.0", ""));
        Attestation a = honest.attestation().attestation();
        assertTrue(ChainChecks.reexecution(order.order(), a, input, sameKernel).passed());
        assertTrue(ChainChecks.reexecution(order.order(), a, input, otherKernel).passed(), "same bytes pass on any path");

        var forgedOrder = chatOrder("bob", input, 2, T0 + 60_000);
        Attestation forged = bob.deliver(forgedOrder, input, text("a story I did not generate"), T0 + 1).attestation().attestation();
        Check fails = ChainChecks.reexecution(forgedOrder.order(), forged, input, sameKernel);
        assertEquals(Check.Verdict.FAIL, fails.verdict());
        assertEquals("output_differs", fails.code());
        Check proves = ChainChecks.reexecution(forgedOrder.order(), forged, input, otherKernel);
        assertEquals(Check.Verdict.INCONCLUSIVE, proves.verdict());
        assertEquals("kernel_differs", proves.code());
        assertEquals("kernel_differs", ChainChecks.reexecution(forgedOrder.order(), forged, input, otherType).code());

        var elsewhere = new TinyModel(Sha256.hashText("another model"), ENGINE);
        assertEquals("model_unavailable", ChainChecks.reexecution(order.order(), a, input, elsewhere).code());
        assertEquals("input_unavailable", ChainChecks.reexecution(order.order(), a, null, sameKernel).code());
        Reexecution broken = new Reexecution() {
            @Override
            public boolean has(byte[] modelDigest) {
                return true;
            }

            @Override
            public Run run(WorkOrder o, byte[] in, long tokens) throws Exception {
                throw new java.io.IOException("out of memory for the KV cache");
            }
        };
        Check failedRun = ChainChecks.reexecution(order.order(), a, input, broken);
        assertEquals(Check.Verdict.INCONCLUSIVE, failedRun.verdict());
        assertEquals("reexecution_failed", failedRun.code());
    }

    @Test
    void anHonestLogProvesInclusionConsistencyAndThePreviousLink() {
        var bob = bob();
        Chain first = bob.deliver(chatOrder("bob", text("one"), 1, T0 + 60_000), text("one"), T0);
        TreeHead known = bob.head;
        Chain second = bob.deliver(chatOrder("bob", text("two"), 2, T0 + 60_000), text("two"), T0 + 1);
        bob.deliver(chatOrder("bob", text("three"), 3, T0 + 60_000), text("three"), T0 + 2);

        var log = ChainChecks.log(second.attestation(), bob.publicKey(), bob, known, first.attestation().digest());
        assertEquals(List.of("log.head", "log.consistency", "log.inclusion", "log.previous"),
                log.checks().stream().map(Check::name).toList());
        assertTrue(log.checks().stream().allMatch(Check::passed), log.checks().toString());
        assertEquals(3, log.head().size());
        var firstLog = ChainChecks.log(first.attestation(), bob.publicKey(), bob, null, Attestation.noPrevious());
        assertTrue(firstLog.checks().stream().allMatch(Check::passed), firstLog.checks().toString());
        var unseen = byName(ChainChecks.log(second.attestation(), bob.publicKey(), bob, known, null).checks());
        assertEquals("previous_unknown", unseen.get("log.previous").code());
    }

    @Test
    void aRewrittenShrunkGoneOrForeignLogFails() {
        var bob = bob();
        Chain first = bob.deliver(chatOrder("bob", text("one"), 1, T0 + 60_000), text("one"), T0);
        bob.deliver(chatOrder("bob", text("two"), 2, T0 + 60_000), text("two"), T0 + 1);
        TreeHead known = bob.head;

        // A second story: the same size, another root.
        var rewritten = new ProviderSide("bob", PROVIDER, dir.resolve("other"), ENGINE);
        rewritten.deliver(chatOrder("bob", text("uno"), 11, T0 + 60_000), text("uno"), T0);
        rewritten.deliver(chatOrder("bob", text("dos"), 12, T0 + 60_000), text("dos"), T0 + 1);
        var split = byName(ChainChecks.log(first.attestation(), bob.publicKey(), rewritten, known, Attestation.noPrevious()).checks());
        assertEquals("heads_inconsistent", split.get("log.consistency").code());
        assertEquals("not_included", split.get("log.inclusion").code());
        assertNull(ChainChecks.log(first.attestation(), bob.publicKey(), rewritten, known, Attestation.noPrevious()).head(),
                "an inconsistent head is not kept");

        // A longer rewritten log does not extend the known head either.
        rewritten.deliver(chatOrder("bob", text("tres"), 13, T0 + 60_000), text("tres"), T0 + 2);
        assertEquals("heads_inconsistent", byName(ChainChecks.log(first.attestation(), bob.publicKey(), rewritten, known,
                Attestation.noPrevious()).checks()).get("log.consistency").code());

        var shorter = new ProviderSide("bob", PROVIDER, dir.resolve("short"), ENGINE);
        shorter.deliver(chatOrder("bob", text("one"), 1, T0 + 60_000), text("one"), T0);
        assertEquals("log_shrank", byName(ChainChecks.log(first.attestation(), bob.publicKey(), shorter, known,
                Attestation.noPrevious()).checks()).get("log.consistency").code());

        bob.serving = false;
        var gone = byName(ChainChecks.log(first.attestation(), bob.publicKey(), bob, known, Attestation.noPrevious()).checks());
        assertEquals(Check.Verdict.FAIL, gone.get("log.head").verdict());
        assertEquals("proof_gone", gone.get("log.head").code());
        bob.serving = true;

        var strangerKey = dev.forge.economy.crypto.Ed25519.PublicKey.decode(STRANGER.publicKey());
        assertEquals("head_invalid", byName(ChainChecks.log(first.attestation(), strangerKey, bob, known,
                Attestation.noPrevious()).checks()).get("log.head").code());

        bob.silent = true;
        var silent = ChainChecks.log(first.attestation(), bob.publicKey(), bob, known, Attestation.noPrevious()).checks();
        assertEquals(List.of(Check.Verdict.INCONCLUSIVE, Check.Verdict.INCONCLUSIVE, Check.Verdict.INCONCLUSIVE, Check.Verdict.PASS),
                silent.stream().map(Check::verdict).toList(), silent.toString());
        assertEquals("log_unreachable", silent.get(2).code());
    }

    @Test
    void aBrokenPreviousLinkFails() {
        var bob = bob();
        bob.deliver(chatOrder("bob", text("one"), 1, T0 + 60_000), text("one"), T0);
        Chain second = bob.deliver(chatOrder("bob", text("two"), 2, T0 + 60_000), text("two"), T0 + 1);
        var broken = byName(ChainChecks.log(second.attestation(), bob.publicKey(), bob, null, Sha256.hashText("not the first")).checks());
        assertEquals("chain_broken", broken.get("log.previous").code());
        assertTrue(broken.get("log.inclusion").passed());
    }
}
