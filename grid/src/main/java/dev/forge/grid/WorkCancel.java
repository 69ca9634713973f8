package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.util.Arrays;

/**
 * The home node's word that it gave up on an order it vouched for ({@value #TAG}, field by field
 * in docs/grid.md): it voided the hold, so the provider should stop and not settle a sale the
 * home node will never pay. Signed by the home node's key, so that nobody else can stop the
 * work another node bought; it names the order by the digest of the signed order, as the frames do.
 */
public record WorkCancel(String homeNodeId, byte[] homeNodeKey, byte[] orderDigest, long issuedAt, byte[] signature) {
    public static final String TAG = "forge/work-cancel/v1";
    public static final int MAX_BYTES = 512;

    public WorkCancel {
        require(homeNodeId != null && homeNodeId.matches(NodeIdentity.PREFIX + "[0-9a-f]{40}"), "home node id is invalid");
        require(homeNodeKey != null && homeNodeKey.length == Ed25519.PUBLIC_KEY_SIZE, "home node key must be 32 bytes");
        homeNodeKey = homeNodeKey.clone();
        require(orderDigest != null && orderDigest.length == Sha256.SIZE, "order digest must be 32 bytes");
        orderDigest = orderDigest.clone();
        require(issuedAt > 0, "issued_at must be positive");
        require(signature != null && signature.length == Ed25519.SIGNATURE_SIZE, "signature must be 64 bytes");
        signature = signature.clone();
    }

    public static WorkCancel sign(NodeIdentity home, byte[] orderDigest, long issuedAt) {
        var unsigned = new WorkCancel(home.id(), home.publicKey(), orderDigest, issuedAt, new byte[Ed25519.SIGNATURE_SIZE]);
        return new WorkCancel(home.id(), home.publicKey(), orderDigest, issuedAt, home.sign(unsigned.signedBytes()));
    }

    /** Whether the key is the one the id names and signed it. */
    public boolean verifies() {
        if (!NodeIdentity.owns(homeNodeId, homeNodeKey)) return false;
        Ed25519.PublicKey key = Ed25519.PublicKey.decode(homeNodeKey);
        return key != null && key.verify(signedBytes(), signature);
    }

    public byte[] signedBytes() {
        return new CanonicalWriter(160).string(TAG).string(homeNodeId).fixed(homeNodeKey, Ed25519.PUBLIC_KEY_SIZE)
                .fixed(orderDigest, Sha256.SIZE).i64(issuedAt).toByteArray();
    }

    public byte[] encode() {
        byte[] signed = signedBytes();
        return new CanonicalWriter(signed.length + Ed25519.SIGNATURE_SIZE).fixed(signed, signed.length)
                .fixed(signature, Ed25519.SIGNATURE_SIZE).toByteArray();
    }

    /** Parses a cancellation; anything but canonical bytes within the bound is {@link RemoteRefusal#MALFORMED}. */
    public static WorkCancel decode(byte[] bytes) {
        RemoteWorkException.require(bytes != null && bytes.length <= MAX_BYTES, RemoteRefusal.MALFORMED,
                "a cancellation is at most " + MAX_BYTES + " bytes");
        try {
            var in = new CanonicalReader(bytes);
            RemoteWorkException.require(TAG.equals(in.string()), RemoteRefusal.MALFORMED, "not a " + TAG);
            var cancel = new WorkCancel(in.string(), in.fixed(Ed25519.PUBLIC_KEY_SIZE), in.fixed(Sha256.SIZE), in.i64(),
                    in.fixed(Ed25519.SIGNATURE_SIZE));
            in.expectEnd();
            return cancel;
        } catch (MalformedEncodingException | IllegalArgumentException e) {
            throw new RemoteWorkException(RemoteRefusal.MALFORMED, "cancellation bytes are malformed: " + e.getMessage());
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }

    @Override public byte[] homeNodeKey() { return homeNodeKey.clone(); }

    @Override public byte[] orderDigest() { return orderDigest.clone(); }

    @Override public byte[] signature() { return signature.clone(); }

    @Override
    public boolean equals(Object other) {
        return other instanceof WorkCancel c && Arrays.equals(encode(), c.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }
}
