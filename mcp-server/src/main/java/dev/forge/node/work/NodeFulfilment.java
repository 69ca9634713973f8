package dev.forge.node.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AcceptedOrder;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.WorkStatus;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.Verification;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import dev.forge.node.provide.AttestationLog;
import dev.forge.inference.LocalModel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;

/**
 * Chats as work orders the node fulfils itself, so that there is one kind of trade (issue 14):
 * a chat is an {@code inference.chat.v1} order the node signs in custody with the agent's key,
 * accepted on the safety pipeline's hold ({@link Ledger#acceptOrderOnHold}), run on the node's
 * engine, and delivered with an attestation the node signs with its own key, next in the node's
 * own provider log ({@link NodeLog}). It is settled by the same {@link Ledger#settleWork} as any
 * provider's delivery, after the same arrival checks, and the live checks re-check it like any
 * chain. Deliveries are one at a time: the node's chain has one order.
 */
public final class NodeFulfilment {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A chat's order, accepted and held, with its input body: the canonical chat request. */
    public record Order(AcceptedOrder accepted, byte[] input) {
        public Order {
            input = input.clone();
        }

        public long id() {
            return accepted.id();
        }
    }

    /** What the node's run produced: the output text, its token counts and how it ended. */
    public record Run(String output, int promptTokens, int completionTokens, String finishReason, long startedAt) {
    }

    private final Ledger ledger;
    private final WorkStore store;
    private final NodeLog log;
    private final LiveVerification live;
    private final Ed25519.KeyPair nodeKey;
    private final String audience;
    private final InstantSource clock;

    NodeFulfilment(Ledger ledger, WorkStore store, NodeLog log, LiveVerification live, Ed25519.KeyPair nodeKey,
                   String audience, InstantSource clock) {
        this.ledger = ledger;
        this.store = store;
        this.log = log;
        this.live = live;
        this.nodeKey = nodeKey;
        this.audience = audience;
        this.clock = clock;
    }

    /** The node's provider account: the seller of every chat. */
    public String provider() {
        return log.provider();
    }

    /** The RFC 6962 root of a served model's folder, computed once as the engine loaded it: what its orders name. */
    public byte[] modelDigest(LocalModel model) {
        return model.digest();
    }

    /**
     * Writes the chat's order, signs it with the agent's custodial key, and has the ledger accept
     * it in place of the spend's hold {@code holdId} (which held exactly {@code maxCost}); the
     * order expires when that hold would have. Nothing runs yet.
     *
     * @throws IllegalArgumentException when the request cannot be an order (invalid_argument)
     * @throws LedgerException when the ledger refuses it; the spend's hold is then unchanged
     */
    public Order accept(String agent, Ed25519.KeyPair agentKey, ChatRequest request, byte[] modelDigest, long maxCost,
                        long holdId) {
        byte[] input = request.bytes();
        SignedWorkOrder signed;
        try {
            var order = new WorkOrder(agent, provider(), WorkKind.INFERENCE_CHAT, request.model(), modelDigest, "",
                    Sha256.hash(input), request.replay(), maxCost, 0, nonce(), audience, holdExpiry(holdId),
                    WorkOrder.Signer.CUSTODIAL);
            signed = SignedWorkOrder.sign(order, agentKey);
            ChatRequest.orderedBy(order, input);
        } catch (WorkException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        log.putBody(input); // before the order exists: its chain is checkable from the first moment
        AcceptedOrder accepted = ledger.acceptOrderOnHold(signed, agent, holdId);
        store.putOrder(accepted.id(), signed.digest(), input);
        store.take(accepted.id(), provider()); // the node's own: no other provider may take it
        return new Order(accepted, input);
    }

    /**
     * Accepts remote work another grid node vouched for (docs/grid.md): the order is signed in
     * custody by that node's key, registered here as its {@code peer:} account {@code peer}, which
     * the ledger then holds the money from. Nothing runs yet.
     *
     * @throws LedgerException when the ledger refuses it (a reused nonce, say)
     */
    public Order acceptRemote(SignedWorkOrder signed, String peer, byte[] input) {
        log.putBody(input);
        AcceptedOrder accepted = ledger.acceptOrder(signed, peer);
        store.putOrder(accepted.id(), signed.digest(), input);
        store.take(accepted.id(), provider());
        return new Order(accepted, input);
    }

    /**
     * Accepts a chat an agent of this node buys from another grid node (docs/grid.md, "The
     * books"): the order names the seller's provider account, has the seller's node id as its
     * audience and is signed in custody by this node's key, then takes the place of the spend's
     * hold {@code holdId}; the ledger pays the seller's {@code peer:} account when it settles.
     * Nothing is sent yet.
     *
     * @throws LedgerException when the ledger refuses it; the spend's hold is then unchanged
     */
    public Order acceptPurchase(String agent, ChatRequest request, String sellerNode, String sellerProvider,
                                byte[] modelDigest, long maxCost, long holdId) {
        byte[] input = request.bytes();
        SignedWorkOrder signed;
        try {
            var order = new WorkOrder(agent, sellerProvider, WorkKind.INFERENCE_CHAT, request.model(), modelDigest, "",
                    Sha256.hash(input), request.replay(), maxCost, 0, nonce(), sellerNode, holdExpiry(holdId),
                    WorkOrder.Signer.CUSTODIAL);
            signed = SignedWorkOrder.sign(order, nodeKey);
        } catch (WorkException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new Order(ledger.acceptOrderOnHold(signed, provider(), holdId), input);
    }

    /**
     * Settles a purchase with the seller's attestation, after the arrival checks any delivery
     * passes, under {@code sellerKey} (from the seller's signed offer). The seller's chain is
     * checked on the seller's ledger and by every node applying its log; here the attestation
     * only has to be where it says it is.
     *
     * @return the settled work, or empty with the failed checks when the delivery did not pass (nothing is paid)
     * @throws LedgerException when the ledger refuses the settlement
     */
    public Settlement settlePurchase(Order order, SignedAttestation attestation, String output, byte[] sellerKey,
                                     String sellerNode) {
        Attestation attested = attestation.attestation();
        var tip = new WorkVerifier.ChainTip(attested.logIndex(), attested.previousDigest());
        Verification verification = ArrivalChecks.run(order.accepted().signed(), attestation, order.input(),
                output.getBytes(StandardCharsets.UTF_8), Ed25519.PublicKey.decode(nodeKey.publicKey()),
                Ed25519.PublicKey.decode(sellerKey), order.accepted().signed().order().provider(),
                context(order.id(), sellerNode, tip));
        if (!verification.verified()) return new Settlement(null, verification);
        return new Settlement(ledger.settleWork(order.id(), attestation, sellerNode), verification);
    }

    /** A purchase's settlement, or the checks its delivery failed. */
    public record Settlement(SettledWork settled, Verification verification) {
        public boolean paid() {
            return settled != null;
        }
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[WorkOrder.NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    private long holdExpiry(long holdId) {
        return ledger.findTransfer(holdId).orElseThrow(() -> new IllegalArgumentException("no hold " + holdId)).expiresAt();
    }

    /** Whether an accepted order is still open (not settled, voided or expired). */
    public boolean open(Order order) {
        return ledger.workStatus(order.id()).orElse(null) == WorkStatus.OPEN;
    }

    public SettledWork deliver(Order order, byte[] modelDigest, Engine engine, Run run, long price, long cost) {
        return deliver(order, modelDigest, engine, run, price, cost, audience);
    }

    /**
     * Delivers the node's run of {@code order}: signs the attestation next in the node's log,
     * runs the arrival checks any delivery passes, and settles it on the ledger (the attested
     * amount to the node, the rest of the hold back to the agent).
     *
     * @param engine how the node ran it
     * @param price µCU per 1,000 tokens, as held
     * @param cost the tokens' cost at {@code price}, at most the order's max cost
     * @param audience whom the order is for: this node's audience, or its grid node id for remote work
     * @throws LedgerException when the ledger refuses the settlement; nothing is paid
     */
    public SettledWork deliver(Order order, byte[] modelDigest, Engine engine, Run run, long price, long cost,
                               String audience) {
        byte[] output = run.output().getBytes(StandardCharsets.UTF_8);
        log.putBody(output);
        SignedWorkOrder signed = order.accepted().signed();
        SettledWork settled;
        SignedAttestation attestation;
        Verification verification;
        synchronized (log) {
            WorkVerifier.ChainTip tip = log.tip();
            long finished = Math.max(run.startedAt(), clock.millis());
            var unsigned = new Attestation(signed.digest(), provider(), modelDigest, engine, signed.order().replay(),
                    signed.order().inputDigest(), Sha256.hash(output), run.promptTokens(), run.completionTokens(),
                    run.finishReason(), price, cost, run.startedAt(), finished, tip.nextIndex(), tip.lastDigest());
            attestation = SignedAttestation.sign(unsigned, nodeKey);
            verification = ArrivalChecks.run(signed, attestation, order.input(), output, agentKey(order), log.key(), provider(),
                    context(order.id(), audience));
            if (!verification.verified()) {
                throw new IllegalStateException("the node's own delivery failed its checks: " + verification.firstFailure()
                        .map(c -> c.name() + ": " + c.reason()).orElse(""));
            }
            log.holdPending(order.id(), attestation);
            try {
                settled = ledger.settleWork(order.id(), attestation, audience);
            } catch (LedgerException e) {
                // Refused, so the chain did not move; a failed ledger may have written it: start decides.
                if (e.error() != dev.forge.economy.ledger.LedgerError.LEDGER_FAILED) log.dropPending();
                throw e;
            }
            log.append(attestation);
        }
        store.putSettlement(order.id(), attestation.encode(), output);
        store.putDelivery(new DeliveryRecord(order.id(), provider(), true, settled.paid(), clock.millis(),
                verification.checks(), attestation.encode()));
        store.close(order.id());
        live.arrive(settled, verification);
        return settled;
    }

    /** Gives the order's hold back to the agent (the chat was stopped, or failed, before it could be delivered). */
    public void voidOrder(Order order) {
        voidPurchase(order);
        store.close(order.id());
    }

    /**
     * Gives a purchase's hold back to the agent (it has no entry in the work store). One already
     * closed, expired or voided by an earlier call, holds nothing either way.
     */
    public void voidPurchase(Order order) {
        try {
            ledger.voidWork(order.id());
        } catch (LedgerException alreadyClosed) {
            // Nothing is held either way.
        }
    }

    /**
     * At start: a crash between the ledger's settle and the log's append leaves the attestation
     * pending, appended now if the ledger settled the order with it, dropped otherwise; then the
     * log must end where the ledger's chain of the node does.
     */
    void recover() {
        resolvePending();
        WorkVerifier.ChainTip ours = log.tip();
        WorkVerifier.ChainTip ledgers = ledger.chainTip(provider());
        // Chats would all be refused with chain_gap: better to say so at start, with what is wrong.
        if (ours.nextIndex() != ledgers.nextIndex() || !java.util.Arrays.equals(ours.lastDigest(), ledgers.lastDigest())) {
            throw new IllegalStateException("the node's provider log in orders/" + NodeLog.LOG + " holds " + ours.nextIndex()
                    + " attestations, the ledger has settled " + ledgers.nextIndex() + " of the node's: put the log back");
        }
    }

    private void resolvePending() {
        var pending = log.pending();
        if (pending.isEmpty()) return;
        AttestationLog.Pending p = pending.get();
        boolean settled = ledger.workStatus(p.orderId()).orElse(null) == WorkStatus.SETTLED
                && log.tip().nextIndex() == p.attestation().attestation().logIndex()
                && ledger.chainTip(provider()).nextIndex() == p.attestation().attestation().logIndex() + 1;
        try {
            if (settled) ledger.settleWork(p.orderId(), p.attestation(), audience); // the same one again answers its settlement
        } catch (LedgerException another) {
            settled = false;
        }
        if (!settled) {
            log.dropPending();
            return;
        }
        log.append(p.attestation());
        log.fetch(p.attestation().attestation().outputDigest()).ifPresent(output ->
                store.putSettlement(p.orderId(), p.attestation().encode(), output));
    }

    private Ed25519.PublicKey agentKey(Order order) {
        return Ed25519.PublicKey.decode(ledger.account(order.accepted().custodian()).orElseThrow().publicKey());
    }

    private WorkVerifier.Context context(long orderId, String audience) {
        return context(orderId, audience, ledger.chainTip(provider()));
    }

    private WorkVerifier.Context context(long orderId, String audience, WorkVerifier.ChainTip tip) {
        return new WorkVerifier.Context(clock.millis(), audience,
                nonce -> ledger.workStatus(orderId).orElseThrow() == WorkStatus.SETTLED, tip);
    }
}
