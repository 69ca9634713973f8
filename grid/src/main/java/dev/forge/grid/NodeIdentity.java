package dev.forge.grid;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A node's grid key and the id derived from it: {@code node-} and the first 20 bytes of
 * SHA-256(public key) in hex. The id names nothing without the key, so no registry is needed:
 * whoever shows the key whose hash is the id, and signs with it, is that node.
 */
public record NodeIdentity(Ed25519.KeyPair key) {
    public static final String PREFIX = "node-";
    private static final int ID_HASH_BYTES = 20;

    public NodeIdentity {
        if (key == null) throw new IllegalArgumentException("a node identity needs a key");
    }

    public static NodeIdentity generate() {
        return new NodeIdentity(Ed25519.generate());
    }

    public String id() {
        return idOf(key.publicKey());
    }

    public byte[] publicKey() {
        return key.publicKey();
    }

    public byte[] sign(byte[] message) {
        return key.sign(message);
    }

    /** The id a public key stands for. */
    public static String idOf(byte[] publicKey) {
        byte[] hash = Sha256.hash(publicKey);
        return PREFIX + HexFormat.of().formatHex(Arrays.copyOf(hash, ID_HASH_BYTES));
    }

    /** Whether {@code text} has the shape of a node id: {@code node-} and 40 lowercase hex digits. */
    public static boolean isId(String text) {
        return text != null && text.length() == PREFIX.length() + 2 * ID_HASH_BYTES && text.startsWith(PREFIX)
                && text.substring(PREFIX.length()).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** Whether {@code nodeId} is the id of {@code publicKey}. */
    public static boolean owns(String nodeId, byte[] publicKey) {
        return publicKey != null && publicKey.length == Ed25519.PUBLIC_KEY_SIZE && idOf(publicKey).equals(nodeId);
    }
}
