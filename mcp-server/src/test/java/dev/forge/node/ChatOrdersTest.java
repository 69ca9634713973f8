package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.HoldStatus;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.WorkStatus;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.inference.GenerationRequest;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat is an {@code inference.chat.v1} work order the node fulfils itself (issue 14), on a real
 * node with the real model: what a chat guaranteed as a trade, it guarantees as an order.
 */
class ChatOrdersTest {
    static final String PROMPT = "Once upon a time";
    @TempDir static Path dir;
    static ForgeNode node;
    static String model;

    @BeforeAll
    static void open() {
        node = ForgeNode.open(NodeSettings.of(dir.resolve("node"), List.of(TestModel.folder().toString())));
        model = TestModel.folder().getFileName().toString();
    }

    @AfterAll
    static void close() {
        node.close();
    }

    static ChatService.ChatOutcome chat(String agent, int maxTokens, ChatService.Listener listener) {
        return node.chats().chat(Actor.agent(agent), model, GenerationRequest.greedy(PROMPT, maxTokens), null, null, listener);
    }

    static long balance(String agent) {
        return node.ledger().account(agent).orElseThrow().balance();
    }

    @Test
    void aChatIsACustodialOrderTheNodeDeliversInItsOwnChain() {
        node.createAgent("ines");
        var first = chat("ines", 12, ChatService.Listener.NONE);
        var second = chat("ines", 12, ChatService.Listener.NONE);
        SettledWork work = node.ledger().settledWork(second.tradeId()).orElseThrow();
        WorkOrder order = work.order().order();
        assertEquals(WorkKind.INFERENCE_CHAT, order.kind());
        assertEquals(WorkOrder.Signer.CUSTODIAL, order.signer());
        assertEquals("ines", order.buyer());
        assertEquals(ForgeNode.PROVIDER, order.provider());
        assertEquals(node.work().audience(), order.audience());
        assertArrayEquals(ChatRequests.of(model, GenerationRequest.greedy(PROMPT, 12)).digest(), order.inputDigest(),
                "the input is the canonical chat request");
        assertArrayEquals(ModelDigest.of(TestModel.folder()), order.modelDigest());
        assertTrue(work.order().verifies(key("ines")), "signed with the agent's custodial key");
        assertTrue(work.attestation().verifies(key(ForgeNode.PROVIDER)), "attested with the node's key");
        assertEquals(second.cost(), work.paid());
        assertEquals(second.balance(), work.buyerBalance());

        var a = work.attestation().attestation();
        SettledWork before = node.ledger().settledWork(first.tradeId()).orElseThrow();
        assertEquals(before.attestation().attestation().logIndex() + 1, a.logIndex(), "the node's chain, one link per chat");
        assertArrayEquals(before.attestation().digest(), a.previousDigest());

        var status = node.work().status(Actor.agent("ines"), work.orderId());
        assertEquals("settled", status.state());
        var export = node.work().export(Actor.agent("ines"), work.orderId());
        assertEquals("PASSED", export.verificationResult(), "the live checks re-check the node's chain like any other");
        var rate = node.work().verify(ForgeNode.PROVIDER);
        assertTrue(rate.checked() >= 2 && rate.passed() == rate.checked(), rate.toString());
    }

    @Test
    void theHoldIsTheOrdersBeforeTheModelRunsAndTheBudgetPaysTheRealCost() {
        node.createAgent("jon");
        long start = balance("jon");
        var held = node.chats().open(Actor.agent("jon"), model, GenerationRequest.greedy(PROMPT, 400), null, null);
        var account = node.ledger().account("jon").orElseThrow();
        long orderId = held.orderId();
        long maxCost = node.ledger().order(orderId).orElseThrow().order().maxPayment();
        assertEquals(maxCost, account.debitsPending(), "exactly the order's hold is held, nothing twice");
        assertEquals(WorkStatus.OPEN, node.ledger().workStatus(orderId).orElseThrow());
        assertEquals(HoldStatus.VOIDED, node.ledger().findTransfer(orderId - 1)
                .flatMap(t -> node.ledger().holdStatus(t.pendingId())).orElseThrow(), "the safety hold became the order's");
        assertEquals(start, balance("jon"), "nothing paid before the model runs");

        var outcome = held.run(ChatService.Listener.NONE);
        assertTrue(outcome.cost() < maxCost, "the model stopped before max tokens: " + outcome.completion().completionTokens());
        assertEquals(start - outcome.cost(), balance("jon"));
        assertEquals(0, node.ledger().account("jon").orElseThrow().debitsPending());
        var safety = node.pipeline().status(Actor.agent("jon"), "jon");
        assertEquals(outcome.cost(), safety.spentLastHour(), "the budget is charged the real cost, not the most");
        assertEquals(outcome.cost(), safety.spentLifetime());
    }

    @Test
    void theKillSwitchStopsARunningChatBetweenTokensAndTheOrderIsVoided() {
        node.createAgent("kai");
        long start = balance("kai");
        long logged = node.ledger().logSize();
        var tokens = new AtomicInteger();
        var listener = new ChatService.Listener() {
            @Override
            public void tokens(int generated) {
                tokens.set(generated);
                if (generated == 3) node.pipeline().kill(Actor.agent("kai"), "test: stop a running chat");
            }
        };
        var held = node.chats().open(Actor.agent("kai"), model, GenerationRequest.greedy(PROMPT, 200), null, null);
        try {
            var refused = assertThrows(PolicyException.class, () -> held.run(listener));
            assertEquals(Refusal.KILL_SWITCH, refused.refusal());
        } finally {
            node.pipeline().release(Actor.operator(), "test over");
        }
        assertTrue(tokens.get() <= 4, "stopped between tokens, at " + tokens.get());
        assertEquals(WorkStatus.VOIDED, node.ledger().workStatus(held.orderId()).orElseThrow());
        assertEquals(start, balance("kai"), "nothing is paid");
        assertEquals(0, node.ledger().account("kai").orElseThrow().debitsPending(), "and nothing stays held");
        for (long id = logged + 1; id <= node.ledger().logSize(); id++) {
            node.ledger().settledWork(id).ifPresent(w -> assertTrue(!w.order().order().buyer().equals("kai")));
        }
    }

    @Test
    void aClientThatHangsUpPaysForTheTokensMade() {
        node.createAgent("lea");
        long start = balance("lea");
        var tokens = new AtomicInteger();
        var listener = new ChatService.Listener() {
            @Override
            public boolean clientGone() {
                return tokens.get() >= 5;
            }

            @Override
            public void tokens(int generated) {
                tokens.set(generated);
            }
        };
        var outcome = chat("lea", 200, listener);
        int made = outcome.completion().completionTokens();
        assertTrue(made >= 5 && made < 200, "stopped once the client left: " + made);
        SettledWork work = node.ledger().settledWork(outcome.tradeId()).orElseThrow();
        assertEquals(made, work.attestation().attestation().completionTokens());
        assertEquals(Cu.cost((long) outcome.completion().promptTokens() + made, outcome.pricePerKiloToken()), work.paid());
        assertEquals(start - work.paid(), balance("lea"));
    }

    static Ed25519.PublicKey key(String account) {
        return Ed25519.PublicKey.decode(node.ledger().account(account).orElseThrow().publicKey());
    }
}
