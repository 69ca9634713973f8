package dev.forge.economy.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    private final Ed25519.KeyPair pair = Ed25519.fromSeed(new byte[32]);
    private final byte[] message = "forge".getBytes();

    @Test
    void signaturesVerifyWithRawAndDecodedKeys() {
        byte[] signature = pair.sign(message);
        assertTrue(Ed25519.verify(pair.publicKey(), message, signature));
        assertTrue(Ed25519.PublicKey.decode(pair.publicKey()).verify(message, signature));
    }

    @Test
    void tamperingIsCaught() {
        byte[] signature = pair.sign(message);
        signature[5] ^= 1;
        assertFalse(Ed25519.verify(pair.publicKey(), message, signature));
        assertFalse(Ed25519.PublicKey.decode(pair.publicKey()).verify(message, signature));
        assertFalse(Ed25519.PublicKey.decode(pair.publicKey()).verify("forgE".getBytes(), pair.sign(message)));
    }

    @Test
    void malformedKeysAndSignaturesAreFalseNotExceptions() {
        assertNull(Ed25519.PublicKey.decode(new byte[31]));
        assertNull(Ed25519.PublicKey.decode(null));
        assertFalse(Ed25519.verify(new byte[32], message, new byte[64]));
        assertFalse(Ed25519.verify(pair.publicKey(), message, new byte[63]));
        assertFalse(Ed25519.PublicKey.decode(pair.publicKey()).verify(message, null));
    }

    /** RFC 8032 signatures from BouncyCastle must verify with any other implementation: here the JDK's. */
    @Test
    void theJdksProviderAcceptsOurSignatures() throws Exception {
        byte[] key = pair.publicKey();
        boolean xOdd = (key[31] & 0x80) != 0;
        byte[] y = new byte[32];
        for (int i = 0; i < 32; i++) y[i] = key[31 - i];
        y[0] &= 0x7F;
        var spec = new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, y)));
        var jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(spec);
        var verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(jdkKey);
        verifier.update(message);
        assertTrue(verifier.verify(pair.sign(message)));
    }
}
