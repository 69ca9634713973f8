package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import java.util.Arrays;

/**
 * What a provider delivered and charges, signed by the provider after the work.
 *
 * @param authorizationDigest SHA-256 of the signed authorization (its bytes and the consumer's
 *     signature): binds this delivery to exactly one authorization
 * @param pricePerKiloToken the price applied, µCU per 1,000 tokens
 * @param amount what the consumer pays, µCU; never above the authorization's maximum
 * @param outputHash SHA-256 of the output text
 * @param completedAt epoch milliseconds
 */
public record Delivery(
        byte[] authorizationDigest,
        int promptTokens,
        int completionTokens,
        long pricePerKiloToken,
        long amount,
        byte[] outputHash,
        long completedAt) {

    static final String TAG = "forge/delivery/v1";

    public Delivery {
        Trades.require(authorizationDigest != null && authorizationDigest.length == Sha256.SIZE,
                "authorization digest must be 32 bytes");
        authorizationDigest = authorizationDigest.clone();
        Trades.require(promptTokens >= 0 && promptTokens <= Limits.MAX_TOKENS, "prompt tokens out of range");
        Trades.require(completionTokens >= 0 && completionTokens <= Limits.MAX_TOKENS, "completion tokens out of range");
        Trades.require(pricePerKiloToken >= 0 && pricePerKiloToken <= Limits.MAX_AMOUNT, "price out of range");
        Trades.require(amount > 0 && amount <= Limits.MAX_AMOUNT, "amount must be positive and within limits");
        Trades.require(outputHash != null && outputHash.length == Sha256.SIZE, "output hash must be 32 bytes");
        outputHash = outputHash.clone();
        Trades.require(completedAt > 0, "completion time must be a positive epoch time");
    }

    @Override
    public byte[] authorizationDigest() {
        return authorizationDigest.clone();
    }

    @Override
    public byte[] outputHash() {
        return outputHash.clone();
    }

    /** The exact bytes the provider signs. */
    public byte[] signedBytes() {
        return write(new CanonicalWriter(160)).toByteArray();
    }

    CanonicalWriter write(CanonicalWriter out) {
        return out.string(TAG).fixed(authorizationDigest, Sha256.SIZE).i32(promptTokens).i32(completionTokens)
                .i64(pricePerKiloToken).i64(amount).fixed(outputHash, Sha256.SIZE).i64(completedAt);
    }

    static Delivery read(CanonicalReader in) {
        Trades.require(TAG.equals(in.string()), "unknown delivery version");
        return new Delivery(in.fixed(Sha256.SIZE), in.i32(), in.i32(), in.i64(), in.i64(), in.fixed(Sha256.SIZE), in.i64());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Delivery d && Arrays.equals(authorizationDigest, d.authorizationDigest)
                && promptTokens == d.promptTokens && completionTokens == d.completionTokens
                && pricePerKiloToken == d.pricePerKiloToken && amount == d.amount
                && Arrays.equals(outputHash, d.outputHash) && completedAt == d.completedAt;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(outputHash);
    }
}
