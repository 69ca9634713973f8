package dev.forge.economy.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the one hash Forge uses for requests, outputs, trades and the Merkle tree. */
public final class Sha256 {
    public static final int SIZE = 32;

    private Sha256() {}

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static byte[] hash(byte[] data) {
        return digest().digest(data);
    }

    /** Hash of UTF-8 text: how a request or an output is fingerprinted in a trade. */
    public static byte[] hashText(String text) {
        return hash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
