package dev.forge.node.provide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerConfig;
import dev.forge.economy.ledger.Limits;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import dev.forge.node.TestModel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's run of an order with the real stories260K on jlama, and its attestation
 * settled on a real MapDB ledger: what it signs passes every check and pays exactly what it states.
 */
class ProviderRunTest {
    static final String NODE = "node-a";
    static final long CU = Limits.MICRO_PER_CU;
    static ChatRunner runner;
    @TempDir static Path work;

    @BeforeAll
    static void load() {
        runner = ChatRunner.load(TestModel.folder(), work.resolve("work"));
    }

    @AfterAll
    static void close() {
        if (runner != null) runner.close();
    }

    @Test
    void theEngineSaysWhatRan() {
        var engine = runner.engine();
        assertEquals("jlama", engine.engine());
        assertEquals("0.8.4", engine.engineVersion());
        assertTrue(List.of("panama", "native").contains(engine.kernel()), engine.kernel());
        assertEquals("F32", engine.workingType());
        assertTrue(engine.hardware().endsWith(Runtime.getRuntime().availableProcessors() + " cores"), engine.hardware());
        assertArrayEquals(dev.forge.economy.work.ModelDigest.of(TestModel.folder()), runner.modelDigest());
    }

    @Test
    void anAttestedRunVerifiesAndSettlesForExactlyItsAmountAndTheChainGoesOn(@TempDir Path dir) {
        Ed25519.KeyPair alice = Ed25519.generate();
        Ed25519.KeyPair provider = ProviderKey.openOrCreate(dir.resolve("provider"));
        try (Ledger ledger = Ledger.open(dir.resolve("ledger"))) {
            ledger.openAccount(AccountSpec.agent("alice", alice.publicKey()));
            ledger.openAccount(AccountSpec.agent("prov", provider.publicKey()));
            var log = AttestationLog.open(dir.resolve("provider").resolve("log"), "prov", provider, InstantSource.system());
            var attester = new Attester("prov", provider, runner.modelDigest(), runner.engine(), 2 * CU);
            long free = LedgerConfig.DEFAULT_FREE_TIER;
            long paidTotal = 0;
            for (int n = 0; n < 2; n++) {
                var request = ChatRequest.text("stories260K", "Once upon a time", new Replay(12, 0, 0, List.of()));
                SignedWorkOrder order = order(alice, request, n);
                var accepted = ledger.acceptOrder(order);

                var prompt = ChatRunner.prompt(ChatRequest.orderedBy(order.order(), request.bytes()));
                long started = System.currentTimeMillis();
                var completion = runner.run(prompt, order.order().replay());
                var attested = attester.attest(order, completion, started, System.currentTimeMillis(), log.tip());
                var a = attested.attestation().attestation();

                assertEquals(n, a.logIndex());
                assertEquals(runner.run(prompt, order.order().replay()).text(), completion.text(), "greedy runs replay");
                assertArrayEquals(Sha256.hash(completion.text().getBytes(StandardCharsets.UTF_8)), a.outputDigest());
                assertEquals(12, a.completionTokens());
                assertEquals("length", a.finishReason());
                assertEquals(Cu.cost(a.promptTokens() + 12L, 2 * CU), a.amount());
                var verification = WorkVerifier.verify(order, attested.attestation(), Ed25519.PublicKey.decode(alice.publicKey()),
                        Ed25519.PublicKey.decode(provider.publicKey()),
                        new WorkVerifier.Context(System.currentTimeMillis(), NODE, key -> false, ledger.chainTip("prov")));
                assertTrue(verification.verified(), verification.checks().toString());

                var settled = ledger.settleWork(accepted.id(), attested.attestation(), NODE);
                log.append(attested.attestation());
                assertEquals(a.amount() + CU / 10, settled.paid());
                paidTotal += settled.paid();
                assertEquals(free + paidTotal, ledger.account("prov").orElseThrow().balance());
                assertEquals(free - paidTotal, ledger.account("alice").orElseThrow().balance());
                assertEquals(free - paidTotal, ledger.account("alice").orElseThrow().available(), "the rest released");
                assertArrayEquals(ledger.chainTip("prov").lastDigest(), log.tip().lastDigest());
            }
            assertEquals(2, log.size());
        }
    }

    private static SignedWorkOrder order(Ed25519.KeyPair buyer, ChatRequest request, int n) {
        byte[] nonce = ByteBuffer.allocate(WorkOrder.NONCE_SIZE).putLong(8, n + 1).array();
        var order = new WorkOrder("alice", "prov", WorkKind.INFERENCE_CHAT, "stories260K", runner.modelDigest(), "",
                request.digest(), request.replay(), CU, CU / 10, nonce, NODE, System.currentTimeMillis() + 120_000,
                WorkOrder.Signer.BUYER);
        return SignedWorkOrder.sign(order, buyer);
    }
}
