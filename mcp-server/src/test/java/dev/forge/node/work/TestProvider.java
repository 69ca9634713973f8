package dev.forge.node.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A provider played by the test: its own Ed25519 key (the node sees only the public half),
 * its chain of attestations, and real signatures over real output bodies. Its honest
 * attestation is what {@code forge provide} would send; the hostile ones change one thing.
 */
public final class TestProvider {
    static final Engine ENGINE = new Engine("jlama", "0.8.4", "panama", "F32", "test", "the test's CPU");
    final Ed25519.KeyPair key = Ed25519.generate();
    public String account;
    private WorkVerifier.ChainTip tip = WorkVerifier.ChainTip.empty();

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(key.publicKey());
    }

    /** What the provider would attest for {@code output}: tokens at {@code pricePerKilo} µCU per 1,000. */
    public Attestation attest(byte[] orderBytes, String output, int promptTokens, int completionTokens, long pricePerKilo) {
        return attest(orderBytes, output.getBytes(StandardCharsets.UTF_8), promptTokens, completionTokens, pricePerKilo, ENGINE);
    }

    /** The same for any output body, run (as it states) on {@code engine}. */
    public Attestation attest(byte[] orderBytes, byte[] output, int promptTokens, int completionTokens, long pricePerKilo,
                              Engine engine) {
        SignedWorkOrder signed = SignedWorkOrder.decode(orderBytes);
        WorkOrder order = signed.order();
        long now = System.currentTimeMillis();
        long amount = Cu.cost((long) promptTokens + completionTokens, pricePerKilo);
        return new Attestation(signed.digest(), account, order.modelDigest(), engine, order.replay(), order.inputDigest(),
                Sha256.hash(output), promptTokens, completionTokens, "stop", pricePerKilo, amount,
                now - 5, Math.min(now, order.expiresAt()), tip.nextIndex(), tip.lastDigest());
    }

    public SignedAttestation sign(Attestation attestation) {
        return SignedAttestation.sign(attestation, key);
    }

    /** After the node paid it: the next attestation follows this one. */
    void advance(SignedAttestation settled) {
        tip = tip.after(settled);
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static String base64(String text) {
        return base64(text.getBytes(StandardCharsets.UTF_8));
    }
}
