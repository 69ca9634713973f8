package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.util.Arrays;

/**
 * A trade as both parties signed it: valid only with both signatures, each over its own
 * canonical bytes, and with the delivery bound to this very authorization.
 */
public record SignedTrade(
        Authorization authorization,
        byte[] consumerSignature,
        Delivery delivery,
        byte[] providerSignature) {

    static final String TAG = "forge/trade/v1";

    public SignedTrade {
        Trades.require(authorization != null && delivery != null, "authorization and delivery are required");
        Trades.require(consumerSignature != null && consumerSignature.length == Ed25519.SIGNATURE_SIZE,
                "consumer signature must be 64 bytes");
        Trades.require(providerSignature != null && providerSignature.length == Ed25519.SIGNATURE_SIZE,
                "provider signature must be 64 bytes");
        consumerSignature = consumerSignature.clone();
        providerSignature = providerSignature.clone();
    }

    /** The consumer's half: sign an authorization. */
    public static byte[] authorize(Authorization authorization, Ed25519.KeyPair consumer) {
        return consumer.sign(authorization.signedBytes());
    }

    /** SHA-256 over the authorization and its signature: what a delivery must name. */
    public static byte[] authorizationDigest(Authorization authorization, byte[] consumerSignature) {
        return digestOf(authorization.signedBytes(), consumerSignature);
    }

    private static byte[] digestOf(byte[] authorizationBytes, byte[] consumerSignature) {
        var digest = Sha256.digest();
        digest.update(authorizationBytes);
        digest.update(consumerSignature);
        return digest.digest();
    }

    /** The provider's half: sign a delivery for a signed authorization. */
    public static SignedTrade deliver(Authorization authorization, byte[] consumerSignature, Delivery delivery,
                                      Ed25519.KeyPair provider) {
        return new SignedTrade(authorization, consumerSignature, delivery, provider.sign(delivery.signedBytes()));
    }

    @Override
    public byte[] consumerSignature() {
        return consumerSignature.clone();
    }

    @Override
    public byte[] providerSignature() {
        return providerSignature.clone();
    }

    /** Checks everything that needs no ledger state; signatures against the parties' keys. */
    public void verify(byte[] consumerKey, byte[] providerKey) {
        verify(Ed25519.PublicKey.decode(consumerKey), Ed25519.PublicKey.decode(providerKey));
    }

    /** As {@link #verify(byte[], byte[])}, with keys decoded once (a null key verifies nothing). */
    public void verify(Ed25519.PublicKey consumerKey, Ed25519.PublicKey providerKey) {
        Trades.require(delivery.amount() <= authorization.maxAmount(),
                LedgerError.AMOUNT_EXCEEDS_AUTHORIZATION, "delivery charges " + delivery.amount()
                        + " µCU, the authorization allows " + authorization.maxAmount());
        byte[] authorizationBytes = authorization.signedBytes();
        Trades.require(Arrays.equals(delivery.authorizationDigest(), digestOf(authorizationBytes, consumerSignature)),
                LedgerError.INVALID_SIGNATURE, "the delivery is not bound to this authorization");
        Trades.require(consumerKey != null && consumerKey.verify(authorizationBytes, consumerSignature),
                LedgerError.INVALID_SIGNATURE, "the consumer's signature does not verify");
        Trades.require(providerKey != null && providerKey.verify(delivery.signedBytes(), providerSignature),
                LedgerError.INVALID_SIGNATURE, "the provider's signature does not verify");
    }

    public byte[] encode() {
        return write(new CanonicalWriter(512)).toByteArray();
    }

    CanonicalWriter write(CanonicalWriter out) {
        out.string(TAG);
        authorization.write(out).fixed(consumerSignature, Ed25519.SIGNATURE_SIZE);
        return delivery.write(out).fixed(providerSignature, Ed25519.SIGNATURE_SIZE);
    }

    /** Decodes {@link #encode()}'s bytes; anything else is {@code malformed_trade}. */
    public static SignedTrade decode(byte[] bytes) {
        try {
            var in = new CanonicalReader(bytes);
            SignedTrade trade = read(in);
            in.expectEnd();
            return trade;
        } catch (MalformedEncodingException e) {
            throw new LedgerException(LedgerError.MALFORMED_TRADE, "trade bytes are malformed: " + e.getMessage());
        }
    }

    static SignedTrade read(CanonicalReader in) {
        Trades.require(TAG.equals(in.string()), "unknown trade version");
        Authorization authorization = Authorization.read(in);
        byte[] consumerSignature = in.fixed(Ed25519.SIGNATURE_SIZE);
        Delivery delivery = Delivery.read(in);
        return new SignedTrade(authorization, consumerSignature, delivery, in.fixed(Ed25519.SIGNATURE_SIZE));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedTrade t && authorization.equals(t.authorization) && delivery.equals(t.delivery)
                && Arrays.equals(consumerSignature, t.consumerSignature)
                && Arrays.equals(providerSignature, t.providerSignature);
    }

    @Override
    public int hashCode() {
        return authorization.hashCode();
    }
}
