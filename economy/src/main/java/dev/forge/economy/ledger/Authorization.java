package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a consumer agrees to pay, signed by the consumer before the work starts.
 *
 * @param maxAmount the most the consumer will pay, µCU
 * @param requestHash SHA-256 of the request (prompt and parameters)
 * @param nonce unique per consumer: a nonce can settle one trade only
 * @param expiresAt epoch milliseconds after which the ledger refuses the authorization
 */
public record Authorization(
        String consumer,
        String provider,
        String model,
        long maxAmount,
        byte[] requestHash,
        long nonce,
        long expiresAt) {

    /** Domain tag and version: bytes signed for one purpose can't be replayed for another. */
    static final String TAG = "forge/authorization/v1";

    public Authorization {
        Trades.requireAccountId(consumer, "consumer");
        Trades.requireAccountId(provider, "provider");
        Trades.require(!consumer.equals(provider), "consumer and provider must differ");
        Trades.require(model != null && !model.isEmpty()
                && model.getBytes(StandardCharsets.UTF_8).length <= Limits.MAX_MODEL_BYTES,
                "model must be 1 to " + Limits.MAX_MODEL_BYTES + " bytes");
        Trades.require(maxAmount > 0 && maxAmount <= Limits.MAX_AMOUNT, "max amount must be positive and within limits");
        Trades.require(requestHash != null && requestHash.length == Sha256.SIZE, "request hash must be 32 bytes");
        requestHash = requestHash.clone();
        Trades.require(expiresAt > 0, "expiry must be a positive epoch time");
    }

    @Override
    public byte[] requestHash() {
        return requestHash.clone();
    }

    /** The exact bytes the consumer signs. */
    public byte[] signedBytes() {
        return write(new CanonicalWriter(192)).toByteArray();
    }

    CanonicalWriter write(CanonicalWriter out) {
        return out.string(TAG).string(consumer).string(provider).string(model).i64(maxAmount)
                .fixed(requestHash, Sha256.SIZE).i64(nonce).i64(expiresAt);
    }

    static Authorization read(CanonicalReader in) {
        Trades.require(TAG.equals(in.string()), "unknown authorization version");
        return new Authorization(in.string(), in.string(), in.string(), in.i64(), in.fixed(Sha256.SIZE), in.i64(), in.i64());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Authorization a && consumer.equals(a.consumer) && provider.equals(a.provider)
                && model.equals(a.model) && maxAmount == a.maxAmount && Arrays.equals(requestHash, a.requestHash)
                && nonce == a.nonce && expiresAt == a.expiresAt;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nonce) * 31 + consumer.hashCode();
    }
}
