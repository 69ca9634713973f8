package dev.forge.economy.work;

import static dev.forge.economy.work.WorkFixtures.PROVIDER;
import static dev.forge.economy.work.WorkFixtures.attestation;
import static dev.forge.economy.work.WorkFixtures.honestAmount;
import static dev.forge.economy.work.WorkFixtures.signedOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkRecordsTest {
    @TempDir Path dir;

    @Test
    void bothRecordsComeBackFromTheirBytes() {
        SignedWorkOrder order = signedOrder();
        assertEquals(order, SignedWorkOrder.decode(order.encode()));
        var attestation = SignedAttestation.sign(attestation(order, honestAmount(), 0, Attestation.noPrevious()), PROVIDER);
        assertEquals(attestation, SignedAttestation.decode(attestation.encode()));
    }

    @Test
    void bytesThatAreNotCanonicalAreMalformed() {
        byte[] bytes = signedOrder().encode();
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals(WorkException.Code.MALFORMED, assertThrows(WorkException.class, () -> SignedWorkOrder.decode(longer)).code());
        byte[] shorter = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertEquals(WorkException.Code.MALFORMED, assertThrows(WorkException.class, () -> SignedWorkOrder.decode(shorter)).code());
        byte[] attestationBytes = SignedAttestation.sign(attestation(signedOrder(), 1, 0, Attestation.noPrevious()), PROVIDER).encode();
        assertEquals(WorkException.Code.MALFORMED,
                assertThrows(WorkException.class, () -> SignedWorkOrder.decode(attestationBytes)).code());
    }

    /** The order's bytes written from docs/ledger.md's table with plain ByteBuffer, not Forge's writer. */
    @Test
    void theOrderBytesAreExactlyWhatTheDocsDescribe() throws Exception {
        WorkOrder o = signedOrder().order();
        var out = new ByteArrayOutputStream();
        text(out, "forge/work-order/v1");
        text(out, "alice");
        text(out, "bob");
        text(out, "inference.chat.v1");
        text(out, "stories260K");
        out.write(sha256("model"));
        text(out, "");
        out.write(sha256("input"));
        out.write(ByteBuffer.allocate(4 + 4 + 8).putInt(20).putInt(0).putLong(42).array());
        out.write(1);
        text(out, "\n\n");
        out.write(ByteBuffer.allocate(16).putLong(5_000).putLong(0).array());
        out.write(o.nonce());
        text(out, "node-a");
        out.write(ByteBuffer.allocate(8).putLong(WorkFixtures.T0 + 60_000).array());
        out.write(1);
        assertArrayEquals(out.toByteArray(), o.signedBytes());
    }

    @Test
    void dssePreAuthenticationEncodingMatchesTheSpecsTestVector() {
        byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world", new String(pae, StandardCharsets.UTF_8));
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, payload, PROVIDER);
        var key = dev.forge.economy.crypto.Ed25519.PublicKey.decode(PROVIDER.publicKey());
        assertFalse(!Dsse.verify(Dsse.IN_TOTO_PAYLOAD_TYPE, payload, signature, key));
        assertFalse(Dsse.verify("application/json", payload, signature, key), "a signature does not move to another type");
    }

    @Test
    void aModelDigestNamesTheFilesAndTheirBytesButNotMarkers() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/weights.bin"), "abc");
        byte[] digest = ModelDigest.of(dir);
        Files.writeString(dir.resolve(".finished"), "yes");
        assertArrayEquals(digest, ModelDigest.of(dir));
        Files.writeString(dir.resolve("sub/weights.bin"), "abd");
        assertFalse(java.util.Arrays.equals(digest, ModelDigest.of(dir)));
    }

    private static void text(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
