package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import java.util.Arrays;

/**
 * A provider's signed statement of its log: "my first {@code size} attestations have this
 * RFC 6962 root" ({@value #TAG}: tag, provider, size i64, root bytes32, issued_at i64, then
 * the provider's signature). Leaves are SHA-256(0x00 ‖ attestation digest). Two heads of one
 * provider with one size and two roots are proof that it told two stories.
 */
public record TreeHead(String provider, long size, byte[] root, long issuedAt, byte[] signature) {
    public static final String TAG = "forge/tree-head/v1";

    public TreeHead {
        WorkException.require(AccountSpec.validId(provider), "provider must be an account id");
        WorkException.require(size >= 0 && issuedAt > 0, "size must be 0 or more and the time positive");
        root = Bytes.exact(root, Sha256.SIZE, "root");
        signature = Bytes.exact(signature, Ed25519.SIGNATURE_SIZE, "tree head signature");
    }

    public static TreeHead sign(String provider, long size, byte[] root, long issuedAt, Ed25519.KeyPair key) {
        return new TreeHead(provider, size, root, issuedAt, key.sign(signedBytes(provider, size, root, issuedAt)));
    }

    public boolean verifies(Ed25519.PublicKey key) {
        return key != null && key.verify(signedBytes(provider, size, root, issuedAt), signature);
    }

    private static byte[] signedBytes(String provider, long size, byte[] root, long issuedAt) {
        return new CanonicalWriter(96).string(TAG).string(provider).i64(size).fixed(root, Sha256.SIZE).i64(issuedAt)
                .toByteArray();
    }

    public byte[] encode() {
        return new CanonicalWriter(160).string(TAG).string(provider).i64(size).fixed(root, Sha256.SIZE).i64(issuedAt)
                .fixed(signature, Ed25519.SIGNATURE_SIZE).toByteArray();
    }

    public static TreeHead decode(byte[] bytes) {
        return Bytes.decode(bytes, "tree head", TreeHead::read);
    }

    static TreeHead read(CanonicalReader in) {
        Bytes.expectTag(in, TAG);
        return new TreeHead(in.string(), in.i64(), in.fixed(Sha256.SIZE), in.i64(), in.fixed(Ed25519.SIGNATURE_SIZE));
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TreeHead h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(root);
    }
}
