package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import java.util.List;

/** A buyer, a provider and a chat order between them, with real keys. */
final class WorkFixtures {
    static final long T0 = 1_767_225_600_000L; // 2026-01-01
    static final Ed25519.KeyPair BUYER = key(7);
    static final Ed25519.KeyPair PROVIDER = key(8);
    static final Ed25519.KeyPair STRANGER = key(9);
    static final Engine ENGINE = new Engine("jlama", "0.8.4", "panama", "F32", "0.1.0", "2-core x86_64");
    static final Replay REPLAY = new Replay(20, 0, 42, List.of("\n\n"));

    private WorkFixtures() {
    }

    static Ed25519.KeyPair key(int seed) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        return Ed25519.fromSeed(bytes);
    }

    static WorkOrder order(long maxCost, byte nonce) {
        byte[] nonceBytes = new byte[WorkOrder.NONCE_SIZE];
        nonceBytes[15] = nonce;
        return new WorkOrder("alice", "bob", WorkKind.INFERENCE_CHAT, "stories260K", Sha256.hashText("model"), "",
                Sha256.hashText("input"), REPLAY, maxCost, 0, nonceBytes, "node-a", T0 + 60_000, WorkOrder.Signer.BUYER);
    }

    static SignedWorkOrder signedOrder() {
        return SignedWorkOrder.sign(order(5_000, (byte) 1), BUYER);
    }

    /** An honest attestation of {@code order}: 10 prompt and 15 generated tokens at 100 µCU per 1,000. */
    static Attestation attestation(SignedWorkOrder order, long amount, long index, byte[] previous) {
        WorkOrder o = order.order();
        return new Attestation(order.digest(), "bob", o.modelDigest(), ENGINE, o.replay(), o.inputDigest(),
                Sha256.hashText("Once upon a time"), 10, 15, "stop", 100, amount, T0 + 1_000, T0 + 2_000, index, previous);
    }

    static long honestAmount() {
        return Cu.cost(25, 100);
    }
}
