package dev.forge.node.grid;

import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerError;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.ChatRequest;
import dev.forge.grid.RemoteRefusal;
import dev.forge.grid.RemoteWorkException;
import dev.forge.grid.RemoteWorkServer;
import dev.forge.grid.Vouch;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceEngine;
import dev.forge.inference.InferenceException;
import dev.forge.inference.LocalModel;
import dev.forge.node.ChatRequests;
import dev.forge.node.provide.ChatRunner;
import dev.forge.node.work.NodeFulfilment;
import java.util.function.ToLongFunction;

/**
 * The provider node's part of remote work (docs/grid.md): a vouch that passed the protocol's
 * checks is checked against this node's state (a model it serves, at a price the order covers,
 * an order not seen before), accepted on its ledger as paid by the home node's {@code peer:}
 * account, run on the engine with its pieces streamed, and delivered like any chat of the node:
 * attested next in the node's own provider log and settled on its ledger.
 */
final class RemoteSeller implements RemoteWorkServer.Provider {
    private final String nodeId;
    private final Ledger ledger;
    private final InferenceEngine engine;
    private final NodeFulfilment fulfilment;
    private final ToLongFunction<String> price;
    private final long peerCredit;
    /** Orders running now: the ledger answers the same signed order again with the first, which must not run twice. */
    private final java.util.Set<Long> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param price µCU per 1,000 tokens this node charges now for a model it serves
     * @param peerCredit µCU another node may owe this one, what it holds now included
     */
    RemoteSeller(String nodeId, Ledger ledger, InferenceEngine engine, NodeFulfilment fulfilment,
                 ToLongFunction<String> price, long peerCredit) {
        this.peerCredit = peerCredit;
        this.nodeId = nodeId;
        this.ledger = ledger;
        this.engine = engine;
        this.fulfilment = fulfilment;
        this.price = price;
    }

    @Override
    public void serve(Vouch vouch, RemoteWorkServer.Replies replies) {
        ChatRequest chat = chat(vouch);
        LocalModel local = served(chat.model());
        GenerationRequest request = ChatRequests.generation(chat);
        long pricePerKilo = price.applyAsLong(chat.model());
        long tokens = (long) local.encode(request.prompt()).length + request.maxTokens();
        RemoteWorkException.require(tokens <= local.contextLength(), RemoteRefusal.UNKNOWN_MODEL,
                "the prompt and max_tokens exceed " + chat.model() + "'s context");
        RemoteWorkException.require(Cu.cost(tokens, pricePerKilo) <= vouch.order().order().maxCost(),
                RemoteRefusal.PRICE_TOO_HIGH, chat.model() + " costs " + pricePerKilo + " µCU per 1,000 tokens here");
        String peer = AccountSpec.PEER_PREFIX + vouch.homeNodeId();
        ledger.openAccount(AccountSpec.peer(vouch.homeNodeId(), vouch.homeNodeKey()));
        NodeFulfilment.Order order;
        synchronized (this) { // one check and hold at a time: two vouches must not both fit the last of the line
            requireCredit(peer, vouch.order().order().maxPayment());
            order = accept(vouch, peer);
        }
        run(order, chat.model(), local, request, pricePerKilo, replies);
    }

    /**
     * A peer's key costs nothing to make, so what it may owe is bounded: what its account owes
     * here (below zero), what its running orders hold, and this one's most, within the line.
     */
    private void requireCredit(String peer, long maxPayment) {
        long owes = -ledger.account(peer).orElseThrow().available();
        RemoteWorkException.require(owes <= peerCredit - maxPayment, RemoteRefusal.CREDIT_EXCEEDED, peer
                + " owes " + Cu.format(Math.max(0, owes)) + " CU here; this node lets a peer owe at most "
                + Cu.format(peerCredit) + " CU, this order may cost " + Cu.format(maxPayment) + " CU");
    }

    private static ChatRequest chat(Vouch vouch) {
        try {
            return ChatRequest.orderedBy(vouch.order().order(), vouch.input());
        } catch (RuntimeException e) {
            throw new RemoteWorkException(RemoteRefusal.BINDING_MISMATCH, "the input is not the order's chat request");
        }
    }

    private LocalModel served(String model) {
        try {
            return engine.slot(model).model();
        } catch (InferenceException e) {
            throw new RemoteWorkException(RemoteRefusal.UNKNOWN_MODEL, nodeId + " does not serve " + model);
        }
    }

    private NodeFulfilment.Order accept(Vouch vouch, String peer) {
        NodeFulfilment.Order order;
        try {
            order = fulfilment.acceptRemote(vouch.order(), peer, vouch.input());
        } catch (LedgerException e) {
            RemoteRefusal refusal = e.error() == LedgerError.NONCE_REUSED ? RemoteRefusal.REPLAYED
                    : e.error() == LedgerError.ORDER_EXPIRED ? RemoteRefusal.EXPIRED : RemoteRefusal.PROVIDER_ERROR;
            throw new RemoteWorkException(refusal, "the ledger refused the order: " + e.error().code());
        }
        // The same signed order again is answered by the ledger with the first: it runs once.
        RemoteWorkException.require(fulfilment.open(order), RemoteRefusal.REPLAYED, "this order was seen before");
        return order;
    }

    private void run(NodeFulfilment.Order order, String model, LocalModel local, GenerationRequest request, long pricePerKilo,
                     RemoteWorkServer.Replies replies) {
        if (!running.add(order.id())) throw new RemoteWorkException(RemoteRefusal.REPLAYED, "this order runs already");
        try {
            long startedAt = System.currentTimeMillis();
            Completion completion = engine.generate(model, request, replies::piece, replies::cancelled);
            // The home node voided its hold: a sale settled now is one it will never pay.
            RemoteWorkException.require(!replies.cancelled(), RemoteRefusal.CANCELLED, "the home node cancelled it");
            long cost = Cu.cost((long) completion.promptTokens() + completion.completionTokens(), pricePerKilo);
            var made = new NodeFulfilment.Run(completion.text(), completion.promptTokens(), completion.completionTokens(),
                    ChatRunner.finishReason(completion), startedAt);
            SettledWork settled = fulfilment.deliver(order, fulfilment.modelDigest(local), ChatRunner.describe(local), made,
                    pricePerKilo, cost, nodeId);
            replies.delivered(settled.attestation(), completion.text());
        } catch (RuntimeException e) {
            fulfilment.voidOrder(order);
            throw e;
        } finally {
            running.remove(order.id());
        }
    }
}
