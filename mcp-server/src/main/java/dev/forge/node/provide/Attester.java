package dev.forge.node.provide;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkVerifier;
import dev.forge.inference.Completion;
import java.nio.charset.StandardCharsets;

/**
 * Writes and signs the attestation for one run: the order it fulfils, the model and engine
 * that ran, the parameters as run (the order's own), the digests of the input and the output,
 * the tokens and what they cost at this provider's price, and its place in the chain.
 */
public final class Attester {
    private final String provider;
    private final Ed25519.KeyPair key;
    private final byte[] modelDigest;
    private final dev.forge.economy.work.Engine engine;
    private final long pricePerKiloToken;

    public Attester(String provider, Ed25519.KeyPair key, byte[] modelDigest, dev.forge.economy.work.Engine engine,
                    long pricePerKiloToken) {
        this.provider = provider;
        this.key = key;
        this.modelDigest = modelDigest.clone();
        this.engine = engine;
        this.pricePerKiloToken = pricePerKiloToken;
    }

    /** The work and its signature, as delivered: the output body is the text's UTF-8 bytes. */
    public record Attested(SignedAttestation attestation, byte[] output) {
    }

    public Attested attest(SignedWorkOrder signedOrder, Completion completion, long startedAt, long finishedAt,
                           WorkVerifier.ChainTip tip) {
        return attest(signedOrder, completion.text().getBytes(StandardCharsets.UTF_8), completion.promptTokens(),
                completion.completionTokens(), ChatRunner.finishReason(completion), startedAt, finishedAt, tip);
    }

    /** The same for any kind's output body (an eval's is its result bytes) and the run's token totals. */
    public Attested attest(SignedWorkOrder signedOrder, byte[] output, int promptTokens, int completionTokens,
                           String finishReason, long startedAt, long finishedAt, WorkVerifier.ChainTip tip) {
        var order = signedOrder.order();
        long tokens = (long) promptTokens + completionTokens;
        var attestation = new Attestation(signedOrder.digest(), provider, modelDigest, engine, order.replay(),
                order.inputDigest(), Sha256.hash(output), promptTokens, completionTokens, finishReason, pricePerKiloToken,
                Cu.cost(tokens, pricePerKiloToken), startedAt, finishedAt, tip.nextIndex(), tip.lastDigest());
        return new Attested(SignedAttestation.sign(attestation, key), output.clone());
    }

    /** The most a run of {@code promptTokens} plus the order's max tokens can cost here. */
    public long worstCase(int promptTokens, int maxTokens) {
        return Cu.cost((long) promptTokens + maxTokens, pricePerKiloToken);
    }

    public long pricePerKiloToken() {
        return pricePerKiloToken;
    }
}
