package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;

/**
 * The proof that whoever registers a key holds its private half: an Ed25519 signature by that
 * key over {@code forge/key-proof/v1}, which binds the agent registering it, the key, the node
 * it is registered with and the bodies URL, so that a proof made for one agent, node or URL
 * proves nothing for another. docs/work.md ("register_key") gives the bytes.
 */
public final class KeyProof {
    public static final String TAG = "forge/key-proof/v1";

    private KeyProof() {
    }

    /**
     * The signed bytes: tag, agent id, the 32-byte key, the node's audience id
     * ({@code node:<32 hex>}) and the bodies URL ("" for none), strings length-prefixed.
     */
    public static byte[] signedBytes(String agent, byte[] publicKey, String audience, String bodiesUrl) {
        return new CanonicalWriter(160).string(TAG).string(agent).fixed(publicKey, Ed25519.PUBLIC_KEY_SIZE).string(audience)
                .string(bodiesUrl == null ? "" : bodiesUrl).toByteArray();
    }

    /** The 64-byte proof, made by the key's holder. */
    public static byte[] sign(Ed25519.KeyPair key, String agent, String audience, String bodiesUrl) {
        return key.sign(signedBytes(agent, key.publicKey(), audience, bodiesUrl));
    }

    /** False for a proof by another key, for another agent, node or URL, or malformed: never throws. */
    public static boolean verifies(byte[] proof, String agent, byte[] publicKey, String audience, String bodiesUrl) {
        Ed25519.PublicKey key = Ed25519.PublicKey.decode(publicKey);
        return key != null && proof != null && agent != null && audience != null
                && key.verify(signedBytes(agent, publicKey, audience, bodiesUrl), proof);
    }
}
