package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSSE (Dead Simple Signing Envelope) v1: what is signed is the pre-authentication encoding
 * of the payload type and payload, so a signature can't be moved to a payload of another type.
 * Forge exports attestations this way, with an in-toto Statement v1 as the payload.
 */
public final class Dsse {
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private Dsse() {
    }

    /** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream(type.length + payload.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    public static byte[] sign(String payloadType, byte[] payload, Ed25519.KeyPair key) {
        return key.sign(pae(payloadType, payload));
    }

    public static boolean verify(String payloadType, byte[] payload, byte[] signature, Ed25519.PublicKey key) {
        return key != null && signature != null && signature.length == Ed25519.SIGNATURE_SIZE
                && key.verify(pae(payloadType, payload), signature);
    }
}
