package dev.forge.node.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.util.HexFormat;

/**
 * An agent's own Ed25519 public key, and the ledger account that carries it. A ledger
 * account's key never changes and an agent's account carries the key the node keeps for it,
 * so the registered key gets an account of its own, {@code key:<first 32 hex of key_id>}:
 * its attestations and self-signed orders name that account.
 *
 * @param bodiesUrl where the provider serves input and output bodies, or ""
 */
public record RegisteredKey(String agent, byte[] publicKey, String bodiesUrl, long registeredAt) {
    public static final String ACCOUNT_PREFIX = "key:";
    private static final String TAG = "forge/registered-key/v1";

    public RegisteredKey {
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_SIZE) throw new IllegalArgumentException("key must be 32 bytes");
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Hex SHA-256 of the raw key. */
    public String keyId() {
        return keyId(publicKey);
    }

    public String account() {
        return accountOf(publicKey);
    }

    public static String keyId(byte[] publicKey) {
        return HexFormat.of().formatHex(Sha256.hash(publicKey));
    }

    public static String accountOf(byte[] publicKey) {
        return ACCOUNT_PREFIX + keyId(publicKey).substring(0, 32);
    }

    byte[] encode() {
        return new CanonicalWriter(128).string(TAG).string(agent).fixed(publicKey, Ed25519.PUBLIC_KEY_SIZE).string(bodiesUrl)
                .i64(registeredAt).toByteArray();
    }

    static RegisteredKey decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!TAG.equals(in.string())) throw new IllegalStateException("not a registered key record");
        var key = new RegisteredKey(in.string(), in.fixed(Ed25519.PUBLIC_KEY_SIZE), in.string(), in.i64());
        in.expectEnd();
        return key;
    }
}
