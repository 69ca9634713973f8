package dev.forge.economy.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/** forge/key-proof/v1 as docs/work.md specifies it: rebuilt here from the page, and bound to every field. */
class KeyProofTest {
    static final String NODE = "node:00112233445566778899aabbccddeeff";

    @Test
    void theBytesAreThoseTheDocsSpellOut() {
        var key = Ed25519.generate();
        var expected = new ByteArrayOutputStream();
        for (byte[] field : new byte[][] {utf8("forge/key-proof/v1"), utf8("ann")}) prefixed(expected, field);
        expected.writeBytes(key.publicKey());
        prefixed(expected, utf8(NODE));
        prefixed(expected, new byte[0]);
        byte[] bytes = KeyProof.signedBytes("ann", key.publicKey(), NODE, "");
        assertArrayEquals(expected.toByteArray(), bytes);
        assertEquals(98, bytes.length, "the docs' example length");

        // Plain Ed25519 over those bytes, checked by another implementation than ours.
        byte[] proof = KeyProof.sign(key, "ann", NODE, "");
        var verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(key.publicKey(), 0));
        verifier.update(bytes, 0, bytes.length);
        assertTrue(verifier.verifySignature(proof));
    }

    @Test
    void aProofProvesOnlyTheRegistrationItWasMadeFor() {
        var key = Ed25519.generate();
        String url = "http://127.0.0.1:8080/bodies";
        byte[] proof = KeyProof.sign(key, "ann", NODE, url);
        assertTrue(KeyProof.verifies(proof, "ann", key.publicKey(), NODE, url));
        assertFalse(KeyProof.verifies(proof, "bob", key.publicKey(), NODE, url), "another agent");
        assertFalse(KeyProof.verifies(proof, "ann", key.publicKey(), "node:ffeeddccbbaa99887766554433221100", url), "another node");
        assertFalse(KeyProof.verifies(proof, "ann", key.publicKey(), NODE, ""), "another bodies URL");
        assertFalse(KeyProof.verifies(proof, "ann", Ed25519.generate().publicKey(), NODE, url), "another key");
        assertFalse(KeyProof.verifies(KeyProof.sign(Ed25519.generate(), "ann", NODE, url), "ann", key.publicKey(), NODE, url),
                "signed by another key");
        assertFalse(KeyProof.verifies(null, "ann", key.publicKey(), NODE, url), "missing");
        assertFalse(KeyProof.verifies(new byte[63], "ann", key.publicKey(), NODE, url), "too short");
        assertFalse(KeyProof.verifies(proof, "ann", new byte[5], NODE, url), "not a key");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void prefixed(ByteArrayOutputStream out, byte[] field) {
        out.write(field.length >>> 8);
        out.write(field.length & 0xFF);
        out.writeBytes(field);
    }
}
