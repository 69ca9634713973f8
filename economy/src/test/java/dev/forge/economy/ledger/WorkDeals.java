package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.nio.ByteBuffer;
import java.util.List;

/** Signed work orders and attestations for ledger tests, with real keys. */
final class WorkDeals {
    static final String NODE = "node-a";
    static final Engine ENGINE = new Engine("jlama", "0.8.4", "panama", "F32", "0.1.0", "2-core x86_64");
    static final Replay REPLAY = new Replay(50, 0, 42, List.of("\n\n"));
    static final byte[] MODEL = Sha256.hashText("stories260K folder");

    private WorkDeals() {}

    static byte[] nonce(long value) {
        return ByteBuffer.allocate(WorkOrder.NONCE_SIZE).putLong(8, value).array();
    }

    /** A chat order for {@code provider} ("" for any), signed by {@code key}. */
    static SignedWorkOrder order(Ed25519.KeyPair key, String buyer, String provider, long maxCost, long reward, long nonce,
                                 long expiresAt, WorkOrder.Signer signer) {
        var order = new WorkOrder(buyer, provider, WorkKind.INFERENCE_CHAT, "stories260K", MODEL, "",
                Sha256.hashText("input " + nonce), REPLAY, maxCost, reward, nonce(nonce), NODE, expiresAt, signer);
        return SignedWorkOrder.sign(order, key);
    }

    static SignedWorkOrder order(Ed25519.KeyPair key, String buyer, String provider, long maxCost, long reward, long nonce,
                                 long expiresAt) {
        return order(key, buyer, provider, maxCost, reward, nonce, expiresAt, WorkOrder.Signer.BUYER);
    }

    /** An honest attestation: the ordered model, input and parameters, the amount the tokens cost. */
    static Attestation honest(SignedWorkOrder order, String provider, WorkVerifier.ChainTip tip, int prompt, int completion,
                              long price, long finishedAt) {
        WorkOrder o = order.order();
        return new Attestation(order.digest(), provider, o.modelDigest(), ENGINE, o.replay(), o.inputDigest(),
                Sha256.hashText("output of " + o.inputDigest()[0]), prompt, completion, "stop", price,
                Cu.cost((long) prompt + completion, price), finishedAt - 10, finishedAt, tip.nextIndex(), tip.lastDigest());
    }

    static SignedAttestation sign(Attestation attestation, Ed25519.KeyPair key) {
        return SignedAttestation.sign(attestation, key);
    }

    /** A copy with some fields changed, for cheats: pass null to keep a field. */
    static Attestation with(Attestation a, byte[] orderDigest, byte[] modelDigest, byte[] inputDigest, Long amount,
                            Long finishedAt, Long logIndex, byte[] previous) {
        long finished = finishedAt == null ? a.finishedAt() : finishedAt;
        return new Attestation(orderDigest == null ? a.orderDigest() : orderDigest, a.provider(),
                modelDigest == null ? a.modelDigest() : modelDigest, a.engine(), a.replay(),
                inputDigest == null ? a.inputDigest() : inputDigest, a.outputDigest(), a.promptTokens(),
                a.completionTokens(), a.finishReason(), a.pricePerKiloToken(), amount == null ? a.amount() : amount,
                Math.min(a.startedAt(), finished), finished, logIndex == null ? a.logIndex() : logIndex,
                previous == null ? a.previousDigest() : previous);
    }
}
