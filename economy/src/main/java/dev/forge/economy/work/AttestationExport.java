package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports an attestation for auditors who have none of Forge's code: an in-toto Statement v1
 * (subject: the output digest; predicate: the attestation's fields and its signed bytes), a
 * verdict shaped like a SLSA verification summary v1, and either in a DSSE envelope signed by
 * the exporting node. JSON is canonical (sorted keys, {@link Json}); i64 fields are decimal
 * strings. Field by field in {@code docs/verification.md}, "Export".
 */
public final class AttestationExport {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://forge.dev/attestation/v1";
    public static final String VERIFICATION_SUMMARY_TYPE = "https://slsa.dev/verification_summary/v1";
    public static final String POLICY_URI = "https://forge.dev/verification/v1";
    public static final String VERIFIED_LEVEL = "FORGE_WORK_VERIFIED_V1";

    /** A DSSE envelope with one signature; {@link #json()} is what is handed out. */
    public record Envelope(String payloadType, byte[] payload, String keyId, byte[] signature) {
        public Envelope {
            payload = payload.clone();
            signature = signature.clone();
        }

        public byte[] json() {
            return Json.bytes(Map.of("payloadType", payloadType, "payload", base64(payload),
                    "signatures", List.of(Map.of("keyid", keyId, "sig", base64(signature)))));
        }

        public boolean verifies(Ed25519.PublicKey key) {
            return Dsse.verify(payloadType, payload, signature, key);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    private AttestationExport() {
    }

    /** The in-toto Statement v1 of an attestation, canonical JSON bytes. */
    public static byte[] statement(SignedWorkOrder order, SignedAttestation signed) {
        Attestation a = signed.attestation();
        Map<String, Object> predicate = new LinkedHashMap<>();
        predicate.put("order_digest", hex(a.orderDigest()));
        predicate.put("kind", order.order().kind().code());
        predicate.put("buyer", order.order().buyer());
        predicate.put("provider", a.provider());
        predicate.put("model", order.order().model());
        predicate.put("model_digest", hex(a.modelDigest()));
        predicate.put("runtime", Map.of("engine", a.engine().engine(), "engine_version", a.engine().engineVersion(),
                "kernel", a.engine().kernel(), "working_type", a.engine().workingType(),
                "forge_version", a.engine().forgeVersion(), "hardware", a.engine().hardware()));
        predicate.put("parameters", Map.of("max_tokens", a.replay().maxTokens(), "temperature_milli",
                a.replay().temperatureMilli(), "seed", Long.toString(a.replay().seed()), "stop", a.replay().stop()));
        predicate.put("input_digest", hex(a.inputDigest()));
        predicate.put("output_digest", hex(a.outputDigest()));
        predicate.put("prompt_tokens", a.promptTokens());
        predicate.put("completion_tokens", a.completionTokens());
        predicate.put("finish_reason", a.finishReason());
        predicate.put("price_per_kilo_token_ucu", Long.toString(a.pricePerKiloToken()));
        predicate.put("amount_ucu", Long.toString(a.amount()));
        predicate.put("started_at", Long.toString(a.startedAt()));
        predicate.put("finished_at", Long.toString(a.finishedAt()));
        predicate.put("log_index", Long.toString(a.logIndex()));
        predicate.put("previous_digest", hex(a.previousDigest()));
        predicate.put("attestation_digest", hex(signed.digest()));
        predicate.put("signed_attestation", base64(signed.encode()));
        predicate.put("signed_order", base64(order.encode()));
        return Json.bytes(Map.of("_type", STATEMENT_TYPE, "subject", subject(a), "predicateType", PREDICATE_TYPE,
                "predicate", predicate));
    }

    /**
     * A verifier's verdict on an attestation, as a SLSA verification summary v1 statement:
     * PASSED when no check failed, with every check in {@code forge_checks}.
     *
     * @param verifierId who checked, e.g. the node's id
     * @param at when, epoch ms
     */
    public static byte[] verdict(SignedAttestation signed, Verification verification, String verifierId, long at) {
        String uri = "forge:attestation:" + hex(signed.digest());
        List<Object> checks = verification.checks().stream().<Object>map(c -> Map.of("name", c.name(),
                "verdict", c.verdict().name(), "code", c.code(), "reason", c.reason())).toList();
        boolean passed = verification.verified();
        Map<String, Object> predicate = Map.of(
                "verifier", Map.of("id", verifierId),
                "timeVerified", Instant.ofEpochMilli(at).truncatedTo(ChronoUnit.MILLIS).toString(),
                "resourceUri", uri,
                "policy", Map.of("uri", POLICY_URI),
                "inputAttestations", List.of(Map.of("uri", uri, "digest", Map.of("sha256", hex(signed.digest())))),
                "verificationResult", passed ? "PASSED" : "FAILED",
                "verifiedLevels", passed ? List.of(VERIFIED_LEVEL) : List.of(),
                "forge_checks", checks);
        return Json.bytes(Map.of("_type", STATEMENT_TYPE, "subject", subject(signed.attestation()),
                "predicateType", VERIFICATION_SUMMARY_TYPE, "predicate", predicate));
    }

    /** Wraps a statement in a DSSE envelope signed by {@code key}; the key id is the hex SHA-256 of the raw public key. */
    public static Envelope envelope(byte[] statement, Ed25519.KeyPair key) {
        return new Envelope(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, hex(Sha256.hash(key.publicKey())),
                Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, key));
    }

    private static List<Object> subject(Attestation a) {
        return List.of(Map.of("name", "output", "digest", Map.of("sha256", hex(a.outputDigest()))));
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
