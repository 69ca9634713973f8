package dev.forge.grid;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/** Real vouches and attestations for the remote-work tests: real keys, real signatures. */
final class Vouches {
    static final long MAX_COST = 80_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Vouches() {}

    /** A chat order of {@code buyer} on {@code home}, signed in custody by home's node key, vouched for to {@code provider}. */
    static Vouch vouch(NodeIdentity home, String provider, String buyer, String prompt, long now) {
        byte[] input = prompt.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[WorkOrder.NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        var order = new WorkOrder(buyer, "node", WorkKind.INFERENCE_CHAT, "stories260K", LedgerNode.MODEL, "",
                Sha256.hash(input), new Replay(64, 0, 42, List.of()), MAX_COST, 0, nonce, provider, now + 120_000,
                WorkOrder.Signer.CUSTODIAL);
        return Vouch.sign(home, provider, buyer, MAX_COST, now, now + 60_000, SignedWorkOrder.sign(order, home.key()), input);
    }

    /** The provider node's attestation of {@code output} for the vouched order, first in its log. */
    static SignedAttestation attest(NodeIdentity provider, Vouch vouch, String output, long now) {
        WorkOrder order = vouch.order().order();
        var tip = WorkVerifier.ChainTip.empty();
        long price = 1_000;
        var attestation = new Attestation(vouch.orderDigest(), "node", LedgerNode.MODEL, LedgerNode.ENGINE, order.replay(),
                order.inputDigest(), Sha256.hash(output.getBytes(StandardCharsets.UTF_8)), 5, 3, "stop", price,
                Cu.cost(8, price), now - 5, now, tip.nextIndex(), tip.lastDigest());
        return SignedAttestation.sign(attestation, provider.key());
    }

    static Ed25519.KeyPair anotherKey() {
        return Ed25519.generate();
    }
}
