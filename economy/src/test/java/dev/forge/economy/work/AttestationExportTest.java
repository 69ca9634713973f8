package dev.forge.economy.work;

import static dev.forge.economy.work.WorkFixtures.BUYER;
import static dev.forge.economy.work.WorkFixtures.PROVIDER;
import static dev.forge.economy.work.WorkFixtures.STRANGER;
import static dev.forge.economy.work.WorkFixtures.T0;
import static dev.forge.economy.work.WorkFixtures.attestation;
import static dev.forge.economy.work.WorkFixtures.honestAmount;
import static dev.forge.economy.work.WorkFixtures.signedOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reads the exports with an independent JSON parser and checks them with nothing but the DSSE and in-toto rules. */
class AttestationExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Ed25519.KeyPair NODE = WorkFixtures.key(11);
    private final SignedWorkOrder order = signedOrder();
    private final SignedAttestation signed = SignedAttestation.sign(attestation(order, honestAmount(), 0, Attestation.noPrevious()), PROVIDER);

    /** The DSSE spec's test vector (protocol.md): PAE("http://example.com/HelloWorld", "hello world"). */
    @Test
    void thePreAuthenticationEncodingIsTheSpecsVector() {
        byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.US_ASCII), pae);
        assertEquals("DSSEv1 0  0 ", new String(Dsse.pae("", new byte[0]), StandardCharsets.US_ASCII));
    }

    @Test
    void theStatementIsAnInTotoStatementAboutTheOutputCarryingTheSignedAttestation() throws Exception {
        JsonNode statement = JSON.readTree(AttestationExport.statement(order, signed));
        assertEquals("https://in-toto.io/Statement/v1", statement.get("_type").asText());
        assertEquals(AttestationExport.PREDICATE_TYPE, statement.get("predicateType").asText());
        assertEquals(1, statement.get("subject").size());
        assertEquals(HexFormat.of().formatHex(Sha256.hashText("Once upon a time")),
                statement.get("subject").get(0).get("digest").get("sha256").asText());
        JsonNode p = statement.get("predicate");
        assertEquals("bob", p.get("provider").asText());
        assertEquals("inference.chat.v1", p.get("kind").asText());
        assertEquals("panama", p.get("runtime").get("kernel").asText());
        assertEquals(String.valueOf(honestAmount()), p.get("amount_ucu").asText());
        assertEquals("42", p.get("parameters").get("seed").asText());
        assertEquals(15, p.get("completion_tokens").asInt());
        // What an auditor does with it: the provider's own signature over the canonical bytes.
        SignedAttestation carried = SignedAttestation.decode(Base64.getDecoder().decode(p.get("signed_attestation").asText()));
        assertEquals(signed, carried);
        assertTrue(carried.verifies(Ed25519.PublicKey.decode(PROVIDER.publicKey())));
        assertEquals(HexFormat.of().formatHex(carried.digest()), p.get("attestation_digest").asText());
        assertEquals(order, SignedWorkOrder.decode(Base64.getDecoder().decode(p.get("signed_order").asText())));
    }

    @Test
    void theJsonIsCanonicalSortedKeysNoSpacesEscapedAsJcs() throws Exception {
        byte[] json = AttestationExport.statement(order, signed);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"amount_ucu\":"), text);
        assertTrue(text.contains("\"stop\":[\"\\n\\n\"]"), "control characters escaped as JCS does");
        assertFalse(text.contains(": ") || text.contains(", "));
        assertKeysSorted(JSON.readTree(json));
        assertArrayEquals(json, AttestationExport.statement(order, signed), "the same attestation gives the same bytes");
        assertEquals("{\"a\":[1,true,null,\"\\u001f\\\"é\"],\"b\":{}}",
                new String(Json.bytes(new java.util.TreeMap<>(Map.of("b", Map.of(), "a",
                        java.util.Arrays.asList(1L, true, null, "\u001f\"é"))))));
        assertThrows(IllegalArgumentException.class, () -> Json.bytes(List.of(1L << 53)), "beyond 2^53 is a string");
    }

    @Test
    void anEnvelopeVerifiesWithTheNodesKeyAndWithNoOther() throws Exception {
        byte[] statement = AttestationExport.statement(order, signed);
        var envelope = AttestationExport.envelope(statement, NODE);
        JsonNode json = JSON.readTree(envelope.json());
        assertEquals(Set.of("payload", "payloadType", "signatures"), fieldNames(json));
        assertEquals("application/vnd.in-toto+json", json.get("payloadType").asText());
        byte[] payload = Base64.getDecoder().decode(json.get("payload").asText());
        assertArrayEquals(statement, payload);
        JsonNode signature = json.get("signatures").get(0);
        assertEquals(HexFormat.of().formatHex(Sha256.hash(NODE.publicKey())), signature.get("keyid").asText());
        // Verified from the JSON alone: PAE of the decoded payload, Ed25519 with the node's key.
        byte[] sig = Base64.getDecoder().decode(signature.get("sig").asText());
        byte[] pae = Dsse.pae(json.get("payloadType").asText(), payload);
        assertTrue(Ed25519.verify(NODE.publicKey(), pae, sig));
        assertTrue(envelope.verifies(Ed25519.PublicKey.decode(NODE.publicKey())));
        assertFalse(envelope.verifies(Ed25519.PublicKey.decode(STRANGER.publicKey())));
        assertFalse(Ed25519.verify(NODE.publicKey(), payload, sig), "the signature is over the PAE, not the bare payload");
    }

    @Test
    void theVerdictIsAVerificationSummaryWithEveryCheck() throws Exception {
        var keys = new Ed25519.PublicKey[] {Ed25519.PublicKey.decode(BUYER.publicKey()), Ed25519.PublicKey.decode(PROVIDER.publicKey())};
        var context = new WorkVerifier.Context(T0 + 3_000, "node-a", s -> false, WorkVerifier.ChainTip.empty());
        Verification passed = WorkVerifier.verify(order, signed, keys[0], keys[1], context);
        JsonNode vsa = JSON.readTree(AttestationExport.verdict(signed, passed, "node-a", T0 + 3_000));
        assertEquals("https://slsa.dev/verification_summary/v1", vsa.get("predicateType").asText());
        JsonNode p = vsa.get("predicate");
        assertEquals("PASSED", p.get("verificationResult").asText());
        assertEquals("node-a", p.get("verifier").get("id").asText());
        assertEquals("2026-01-01T00:00:03Z", p.get("timeVerified").asText());
        assertEquals("forge:attestation:" + HexFormat.of().formatHex(signed.digest()), p.get("resourceUri").asText());
        assertEquals(HexFormat.of().formatHex(Sha256.hash(signed.encode())),
                p.get("inputAttestations").get(0).get("digest").get("sha256").asText(), "the digest of the signed attestation bytes");
        assertEquals("FORGE_WORK_VERIFIED_V1", p.get("verifiedLevels").get(0).asText());
        assertEquals(15, p.get("forge_checks").size());

        var late = new WorkVerifier.Context(T0 + 60_001, "node-a", s -> false, WorkVerifier.ChainTip.empty());
        JsonNode failed = JSON.readTree(AttestationExport.verdict(signed, WorkVerifier.verify(order, signed, keys[0], keys[1], late),
                "node-a", T0 + 60_001)).get("predicate");
        assertEquals("FAILED", failed.get("verificationResult").asText());
        assertEquals(0, failed.get("verifiedLevels").size());
        List<String> codes = new ArrayList<>();
        failed.get("forge_checks").forEach(c -> codes.add(c.get("code").asText()));
        assertTrue(codes.contains("order_expired"), codes.toString());
    }

    private static Set<String> fieldNames(JsonNode node) {
        var names = new java.util.HashSet<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertKeysSorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            List<String> sorted = new ArrayList<>(names);
            java.util.Collections.sort(sorted);
            assertEquals(sorted, names);
            node.elements().forEachRemaining(AttestationExportTest::assertKeysSorted);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(AttestationExportTest::assertKeysSorted);
        }
    }
}
