package dev.forge.node.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.KeyProof;
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
        SignedWorkOrder signed = SignedWorkOrder.decode(orderBytes);
        WorkOrder order = signed.order();
        long now = System.currentTimeMillis();
        long amount = Cu.cost((long) promptTokens + completionTokens, pricePerKilo);
        return new Attestation(signed.digest(), account, order.modelDigest(), ENGINE, order.replay(), order.inputDigest(),
                Sha256.hash(output.getBytes(StandardCharsets.UTF_8)), promptTokens, completionTokens, "stop", pricePerKilo, amount,
                now - 5, Math.min(now, order.expiresAt()), tip.nextIndex(), tip.lastDigest());
    }

    /** The key proof of register_key for {@code agent} on the node {@code audience} (docs/work.md). */
    public String proofBase64(String agent, String audience, String bodiesUrl) {
        return base64(KeyProof.sign(key, agent, audience, bodiesUrl));
    }

    /** register_key's arguments for {@code key}, with a proof for {@code agent} on the node {@code audience}. */
    public static java.util.Map<String, Object> registration(Ed25519.KeyPair key, String agent, String audience, String bodiesUrl) {
        var arguments = new java.util.LinkedHashMap<String, Object>();
        arguments.put("public_key", base64(key.publicKey()));
        if (!bodiesUrl.isEmpty()) arguments.put("bodies_url", bodiesUrl);
        arguments.put("proof", base64(KeyProof.sign(key, agent, audience, bodiesUrl)));
        return arguments;
    }

    /** The same as a service call. */
    static WorkCalls.RegisterKey registerKey(Ed25519.KeyPair key, String agent, String audience) {
        return new WorkCalls.RegisterKey(key.publicKey(), "", KeyProof.sign(key, agent, audience, ""));
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
