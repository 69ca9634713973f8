package dev.forge.agent;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes and signs the agent's own {@code inference.chat.v1} orders (forge/work-order/v1,
 * signer: buyer): the task's prompt as a canonical {@link ChatRequest} text body, greedy, a
 * fresh random nonce, the offer's provider, model and digest, its worst case as the most cost.
 */
final class OrderSigner {
    /** The order's bytes and its input body. */
    record Signed(SignedWorkOrder order, byte[] input) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final String account;
    private final String audience;
    private final Ed25519.KeyPair key;

    OrderSigner(String account, String audience, Ed25519.KeyPair key) {
        this.account = account;
        this.audience = audience;
        this.key = key;
    }

    Signed sign(Task task, Offer offer, long maxCost, long now, long lifetimeMillis) {
        var replay = new Replay(task.maxTokens(), 0, 0, List.of());
        byte[] input = ChatRequest.text(offer.model(), task.prompt(), replay).bytes();
        byte[] nonce = new byte[WorkOrder.NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        var order = new WorkOrder(account, offer.provider(), WorkKind.INFERENCE_CHAT, offer.model(),
                HexFormat.of().parseHex(offer.modelDigest()), "", dev.forge.economy.crypto.Sha256.hash(input), replay, maxCost, 0,
                nonce, audience, now + lifetimeMillis, WorkOrder.Signer.BUYER);
        return new Signed(SignedWorkOrder.sign(order, key), input);
    }
}
