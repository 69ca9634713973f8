package dev.forge.node;

import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.ChatRequest;
import dev.forge.grid.RemoteRefusal;
import dev.forge.grid.RemoteWorkClient;
import dev.forge.grid.RemoteWorkException;
import dev.forge.grid.WorkFrame;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import dev.forge.node.grid.RemoteBuyer;
import dev.forge.node.work.NodeFulfilment;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendAction;
import dev.forge.policies.SpendPipeline;
import dev.forge.policies.SpendRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Chats of a model this node lacks, bought from another grid node (docs/grid.md, "Remote work").
 * The agent's spend passes the same pipeline as a local chat's, its hold paying the seller's
 * {@code peer:} account; the cheapest live offer is tried first, and the next one only while
 * nothing of the answer was seen (a fail-over before the first token). A failed attempt voids
 * its order and gives its hold back before the next is held.
 */
final class RemoteChats {
    /** Offers tried for one chat at most: each absent one costs the first-frame wait. */
    static final int MAX_ATTEMPTS = 3;

    private final RemoteBuyer buyer;
    private final SpendPipeline pipeline;
    private final SpendGate gate;
    private final NodeMetrics metrics;

    RemoteChats(RemoteBuyer buyer, SpendPipeline pipeline, SpendGate gate, NodeMetrics metrics) {
        this.buyer = buyer;
        this.pipeline = pipeline;
        this.gate = gate;
        this.metrics = metrics;
    }

    boolean sells(String model) {
        return !buyer.sellers(model).isEmpty();
    }

    /**
     * Holds the chat's cost for the cheapest live offer, or {@code node}'s when not null (then no
     * other is tried): every refusal of the spend happens here, before anything is sent.
     */
    ChatService.Held open(Actor actor, String model, GenerationRequest request, String approvalId,
                          Function<String, Optional<Boolean>> askHuman, String node) {
        PolicyException.require(!(request.prompt() instanceof Prompt.Chat c && !c.tools().isEmpty()), Refusal.INVALID_ARGUMENT,
                "tools are not offered on chats bought from another node; " + model + " is not served here");
        List<RemoteBuyer.Seller> sellers = buyer.sellers(model).stream().filter(s -> node == null || s.node().equals(node))
                .toList();
        if (sellers.isEmpty()) {
            throw new RemoteWorkException(RemoteRefusal.NO_PROVIDER, "no live offer of " + model
                    + (node == null ? "" : " by " + node) + " on the grid now");
        }
        sellers = sellers.subList(0, Math.min(MAX_ATTEMPTS, sellers.size()));
        ChatRequest chat = ChatRequests.of(model, request);
        return new Purchase(actor, request, chat, sellers, hold(actor, request, chat, sellers.getFirst(), approvalId, askHuman));
    }

    /** One offer tried: its spend and the order that took the spend's hold. */
    private record Attempt(RemoteBuyer.Seller seller, Spend spend, NodeFulfilment.Order order) {
    }

    private Attempt hold(Actor actor, GenerationRequest request, ChatRequest chat, RemoteBuyer.Seller seller,
                         String approvalId, Function<String, Optional<Boolean>> askHuman) {
        long maxCost = Math.max(1, Cu.cost(RemoteBuyer.tokenBound(request), seller.pricePerKiloToken()));
        String payee = buyer.openPayee(seller);
        var spendRequest = new SpendRequest(actor.id(), payee, SpendAction.CHAT, chat.model(), maxCost,
                UUID.randomUUID().toString(), ChatService.digest(chat.model(), request));
        Spend spend = gate.open(actor, spendRequest, approvalId, askHuman);
        try {
            return new Attempt(seller, spend, buyer.accept(actor.id(), chat, seller, maxCost, spend.holdId()));
        } catch (RuntimeException e) {
            pipeline.cancel(actor, spend, "the purchase's order was refused: " + e.getMessage());
            PolicyException.require(!pipeline.killState().active(), Refusal.KILL_SWITCH, "spending was frozen by the kill switch");
            throw e;
        }
    }

    /** A bought chat whose cost is held; it runs once, failing over while no piece was seen. */
    private final class Purchase implements ChatService.Held {
        private final Actor actor;
        private final GenerationRequest request;
        private final ChatRequest chat;
        private final List<RemoteBuyer.Seller> sellers;
        private Attempt attempt;

        Purchase(Actor actor, GenerationRequest request, ChatRequest chat, List<RemoteBuyer.Seller> sellers, Attempt first) {
            this.actor = actor;
            this.request = request;
            this.chat = chat;
            this.sellers = sellers;
            this.attempt = first;
        }

        @Override
        public ChatService.ChatOutcome run(ChatService.Listener listener) {
            long started = System.nanoTime();
            var pieces = new AtomicInteger();
            var clientGone = new AtomicBoolean();
            for (int next = 1; ; next++) {
                var streamed = new AtomicLong();
                try {
                    return settle(attempt, exchange(attempt, listener, pieces, clientGone, streamed), started);
                } catch (RemoteWorkClient.Failure failure) {
                    cancel("the purchase from " + attempt.seller().node() + " failed: " + failure.getMessage());
                    if (streamed.get() > WorkFrame.MAX_OUTPUT_BYTES) {
                        throw new RemoteWorkException(RemoteRefusal.PROVIDER_FAILED, attempt.seller().node()
                                + " streamed more than an answer may hold (" + WorkFrame.MAX_OUTPUT_BYTES + " bytes)");
                    }
                    if (!failure.retryable() || clientGone.get() || next >= sellers.size()) {
                        throw new RemoteWorkException(failure.refusal(), failure.getMessage());
                    }
                    attempt = hold(actor, request, chat, sellers.get(next), null, null);
                }
            }
        }

        /** @param streamed bytes relayed so far: past what a delivery may hold, the seller is cut off */
        private RemoteWorkClient.Delivery exchange(Attempt attempt, ChatService.Listener listener, AtomicInteger pieces,
                                                   AtomicBoolean clientGone, AtomicLong streamed) {
            var cancelled = new AtomicBoolean();
            attempt.spend().onCancel(() -> cancelled.set(true));
            var toClient = ChatService.relay(listener, pieces, clientGone);
            RemoteWorkClient.Listener relay = new RemoteWorkClient.Listener() {
                @Override
                public void piece(String text) {
                    long bytes = streamed.addAndGet(text.getBytes(StandardCharsets.UTF_8).length);
                    if (bytes <= WorkFrame.MAX_OUTPUT_BYTES) toClient.accept(text);
                }
            };
            try {
                return buyer.request(attempt.seller(), attempt.order(), relay,
                        () -> cancelled.get() || streamed.get() > WorkFrame.MAX_OUTPUT_BYTES
                                || ChatService.clientLeft(listener, clientGone));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel("interrupted while " + attempt.seller().node() + " ran it");
                throw new RemoteWorkException(RemoteRefusal.PROVIDER_FAILED, "interrupted");
            } catch (RemoteWorkClient.Failure failure) {
                if (!cancelled.get()) throw failure;
                cancel("the spend was cancelled while the seller ran it");
                throw new PolicyException(pipeline.killState().active() ? Refusal.KILL_SWITCH : Refusal.APPROVAL_DENIED,
                        "the spend was cancelled while the model ran: " + attempt.spend().cancelReason());
            } catch (RuntimeException e) {
                cancel("the purchase failed: " + e.getMessage());
                throw e;
            }
        }

        private ChatService.ChatOutcome settle(Attempt attempt, RemoteWorkClient.Delivery delivery, long started) {
            Attestation attested = delivery.attestation().attestation();
            SettledWork settled;
            try {
                // Refused, with nothing paid, if the kill switch was pulled after the last piece.
                settled = pipeline.completeMoved(actor, attempt.spend(), attested.amount(),
                        () -> buyer.settle(attempt.seller(), attempt.order(), delivery));
            } catch (RuntimeException e) {
                buyer.voidOrder(attempt.order());
                throw e;
            }
            var completion = new Completion(delivery.output(), attested.promptTokens(), attested.completionTokens(),
                    finishReason(attested.finishReason()), List.of());
            metrics.chat(chat.model(), attested.promptTokens(), attested.completionTokens(), attested.amount(),
                    Duration.ofNanos(System.nanoTime() - started));
            return new ChatService.ChatOutcome(chat.model(), completion, attested.pricePerKiloToken(), attested.amount(),
                    settled.buyerBalance(), settled.id(), attempt.seller().node());
        }

        @Override
        public void cancel(String reason) {
            pipeline.cancel(actor, attempt.spend(), reason);
            buyer.voidOrder(attempt.order());
        }

        @Override
        public long orderId() {
            return attempt.order().id();
        }
    }

    /** The seller's finish reason as the engine names it; one the engine does not know reads as the end. */
    private static Completion.FinishReason finishReason(String attested) {
        for (Completion.FinishReason reason : Completion.FinishReason.values()) {
            if (reason.name().toLowerCase(Locale.ROOT).equals(attested)) return reason;
        }
        return Completion.FinishReason.END;
    }
}
