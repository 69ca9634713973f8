package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Limits;
import java.util.Arrays;

/**
 * What a provider did for one order, signed with the provider's own key: the invoice. The
 * bytes are {@value #TAG}, field by field in {@code docs/ledger.md}. Attestations of one
 * provider form a hash chain: each names its index in the provider's log and the digest of
 * the one before.
 *
 * @param orderDigest {@link SignedWorkOrder#digest()} of the order it fulfils
 * @param modelDigest the RFC 6962 root of the model folder that ran
 * @param replay the parameters as run
 * @param outputDigest SHA-256 of the output's UTF-8 bytes
 * @param amount what the provider charges for the tokens, µCU
 * @param logIndex this attestation's position in the provider's log, from 0
 * @param previousDigest the digest of the provider's attestation at {@code logIndex - 1}, zeros at 0
 */
public record Attestation(
        byte[] orderDigest,
        String provider,
        byte[] modelDigest,
        Engine engine,
        Replay replay,
        byte[] inputDigest,
        byte[] outputDigest,
        int promptTokens,
        int completionTokens,
        String finishReason,
        long pricePerKiloToken,
        long amount,
        long startedAt,
        long finishedAt,
        long logIndex,
        byte[] previousDigest) {

    public static final String TAG = "forge/attestation/v1";
    private static final int MAX_REASON_BYTES = 32;
    /** Bounded so that any token count times the price stays inside a long. */
    public static final long MAX_PRICE_PER_KILO_TOKEN = Limits.MAX_AMOUNT / Limits.MAX_TOKENS;

    public Attestation {
        orderDigest = Bytes.exact(orderDigest, Sha256.SIZE, "order digest");
        WorkException.require(AccountSpec.validId(provider), "provider must be an account id");
        modelDigest = Bytes.exact(modelDigest, Sha256.SIZE, "model digest");
        WorkException.require(engine != null && replay != null, "engine and replay are required");
        inputDigest = Bytes.exact(inputDigest, Sha256.SIZE, "input digest");
        outputDigest = Bytes.exact(outputDigest, Sha256.SIZE, "output digest");
        WorkException.require(promptTokens >= 0 && completionTokens >= 0
                && (long) promptTokens + completionTokens <= Limits.MAX_TOKENS, "token counts must be 0 or more, within limits");
        Bytes.text(finishReason, MAX_REASON_BYTES, false, "finish reason");
        WorkException.require(pricePerKiloToken >= 0 && pricePerKiloToken <= MAX_PRICE_PER_KILO_TOKEN,
                "price must be 0 to " + MAX_PRICE_PER_KILO_TOKEN + " µCU per 1,000 tokens");
        WorkException.require(amount >= 0 && amount <= Limits.MAX_AMOUNT, "amount must be 0 or more, within limits");
        WorkException.require(startedAt > 0 && finishedAt >= startedAt, "times must be positive and in order");
        WorkException.require(logIndex >= 0, "log index must be 0 or more");
        previousDigest = Bytes.exact(previousDigest, Sha256.SIZE, "previous digest");
    }

    public static byte[] noPrevious() {
        return new byte[Sha256.SIZE];
    }

    /** The exact bytes the provider signs. */
    public byte[] signedBytes() {
        return write(new CanonicalWriter(512)).toByteArray();
    }

    CanonicalWriter write(CanonicalWriter out) {
        out.string(TAG).fixed(orderDigest, Sha256.SIZE).string(provider).fixed(modelDigest, Sha256.SIZE);
        engine.write(out);
        replay.write(out);
        return out.fixed(inputDigest, Sha256.SIZE).fixed(outputDigest, Sha256.SIZE).i32(promptTokens).i32(completionTokens)
                .string(finishReason).i64(pricePerKiloToken).i64(amount).i64(startedAt).i64(finishedAt).i64(logIndex)
                .fixed(previousDigest, Sha256.SIZE);
    }

    static Attestation read(CanonicalReader in) {
        Bytes.expectTag(in, TAG);
        return new Attestation(in.fixed(Sha256.SIZE), in.string(), in.fixed(Sha256.SIZE), Engine.read(in), Replay.read(in),
                in.fixed(Sha256.SIZE), in.fixed(Sha256.SIZE), in.i32(), in.i32(), in.string(), in.i64(), in.i64(), in.i64(),
                in.i64(), in.i64(), in.fixed(Sha256.SIZE));
    }

    public static Attestation decode(byte[] bytes) {
        return Bytes.decode(bytes, "attestation", Attestation::read);
    }

    @Override
    public byte[] orderDigest() {
        return orderDigest.clone();
    }

    @Override
    public byte[] modelDigest() {
        return modelDigest.clone();
    }

    @Override
    public byte[] inputDigest() {
        return inputDigest.clone();
    }

    @Override
    public byte[] outputDigest() {
        return outputDigest.clone();
    }

    @Override
    public byte[] previousDigest() {
        return previousDigest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Attestation a && Arrays.equals(signedBytes(), a.signedBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(orderDigest);
    }
}
