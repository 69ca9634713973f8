package dev.forge.economy.merkle;

import dev.forge.economy.crypto.Sha256;
import java.security.MessageDigest;

/** RFC 6962 hashing: leaves and interior nodes are domain-separated so one cannot pose as the other. */
public final class MerkleHash {
    public static final int SIZE = Sha256.SIZE;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHash() {}

    public static byte[] leaf(byte[] data) {
        MessageDigest digest = Sha256.digest();
        digest.update(LEAF_PREFIX);
        digest.update(data);
        return digest.digest();
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest digest = Sha256.digest();
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** The root of an empty tree is the hash of the empty string (RFC 6962 section 2.1). */
    public static byte[] empty() {
        return Sha256.hash(new byte[0]);
    }
}
