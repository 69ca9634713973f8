package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Live verification end to end: a node (live rounds every 2 s) and two {@code forge provide}
 * processes with the real stories260K. Their deliveries verify on arrival; an export verifies
 * with the node's key by DSSE's rules alone; once one provider's stored bodies are deleted, the
 * next live round drops its rate, and {@code route} and {@code providers} with a minimum rate
 * leave it out; a restarted node rebuilds every chain from its ledger and checks them again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveChecksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static Path data;
    static NodeProcess node;
    static URI address;
    static String operator;
    static String buyerToken;
    static McpSyncClient buyer;
    static Provider honest;
    static Provider careless;
    static final Map<Long, JsonNode> settled = new HashMap<>();

    /** A {@code forge provide} process as ProviderIT starts one: its folder, stderr and the account it announced. */
    record Provider(Process process, Path folder, Path stderr, String account) implements AutoCloseable {
        static Provider start(String token) throws Exception {
            Path folder = Files.createTempDirectory("forge-live-provider");
            Path tokenFile = folder.resolveSibling(folder.getFileName() + ".token");
            Files.writeString(tokenFile, token);
            Path stderr = Files.createTempFile("forge-live-provider", ".err");
            var process = new ProcessBuilder(NodeProcess.cli("provide", "--node", address.toString(), "--token-file",
                    tokenFile.toString(), "--model", TestModel.folder().toString(), "--folder", folder.toString(), "--port",
                    String.valueOf(NodeProcess.freePort()), "--price-per-1k", "2"))
                    .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String serving = awaitLine(process, stderr, "forge provide: serving ");
            return new Provider(process, folder, stderr, serving.replaceAll(".* as (\\S+) at .*", "$1"));
        }

        String lines() throws Exception {
            return String.join("\n", Files.readAllLines(stderr));
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        NodeProcess.requirePackaged();
        data = Files.createTempDirectory("forge-live-it");
        node = NodeProcess.start(data, TestModel.folder().toString(), 0, "-Dforge.verify.period=2s");
        address = URI.create(node.awaitAddress());
        operator = Identities.operatorToken(data);
        buyerToken = createAgent("live-buyer");
        buyer = client(buyerToken);
        honest = Provider.start(createAgent("live-honest"));
        careless = Provider.start(createAgent("live-careless"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (buyer != null) buyer.closeGracefully();
        for (AutoCloseable p : new AutoCloseable[] {honest, careless, node}) if (p != null) p.close();
    }

    @Test
    @Order(1)
    void deliveriesVerifyOnArrivalAndAnExportVerifiesWithTheNodeKey() throws Exception {
        List<Long> orders = new ArrayList<>();
        String[] prompts = {"Once upon a time", "The little dog", "One day, Lily", "Tom had a ball"};
        for (int i = 0; i < prompts.length; i++) orders.add(submit(prompts[i], (i % 2 == 0 ? honest : careless).account()));
        awaitSettled(orders);
        // A provider says an order settled once its deliver call answered, and the node answers after the arrival check.
        for (int i = 0; i < orders.size(); i++) {
            Provider by = i % 2 == 0 ? honest : careless;
            awaitLine(by.process(), by.stderr(), "forge provide: order " + orders.get(i) + " settled");
        }

        for (Provider p : List.of(honest, careless)) {
            JsonNode rate = call("verify", Map.of("provider", p.account()));
            assertEquals("100.0% of 2 chains verifiable, 2 completed", rate.path("text").asText(), rate + "\n" + node.stderrText());
            assertEquals(2, rate.path("checked").asInt());
            assertEquals(2, rate.path("passed").asInt());
            assertEquals(0, rate.path("failures").size(), rate.toString());
            assertTrue(rate.path("rate_ppm").asLong() > 500_000, "value that verifies lifts the rate over the prior: " + rate);
            var rest = HTTP.send(HttpRequest.newBuilder(address.resolve("/v1/forge/verify/" + p.account()))
                    .header("Authorization", "Bearer " + buyerToken).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(rate, JSON.readTree(rest.body()), "REST answers what the tool answers");
        }

        long id = orders.getFirst();
        JsonNode export = export(id, buyerToken, 200);
        assertEquals("PASSED", export.path("verification_result").asText(), export.toString());
        byte[] nodeKey = nodePublicKey();
        String keyId = HexFormat.of().formatHex(sha256(nodeKey));
        assertEquals(keyId, export.path("key_id").asText());
        assertEquals("node:" + keyId.substring(0, 32), audience(), "the key that signs is the node's, whose id orders name");

        JsonNode statement = verifiedPayload(export.path("statement"), nodeKey);
        assertEquals("https://in-toto.io/Statement/v1", statement.path("_type").asText());
        assertEquals("https://forge.dev/attestation/v1", statement.path("predicateType").asText());
        byte[] output = Base64.getDecoder().decode(settled.get(id).path("output").asText());
        assertEquals(HexFormat.of().formatHex(sha256(output)), statement.path("subject").path(0).path("digest").path("sha256").asText());
        assertEquals(settled.get(id).path("attestation").asText(), statement.path("predicate").path("signed_attestation").asText());
        assertEquals(honest.account(), statement.path("predicate").path("provider").asText());

        JsonNode verdict = verifiedPayload(export.path("verdict"), nodeKey);
        assertEquals("https://slsa.dev/verification_summary/v1", verdict.path("predicateType").asText());
        assertEquals("PASSED", verdict.path("predicate").path("verificationResult").asText());
        List<String> names = new ArrayList<>();
        verdict.path("predicate").path("forge_checks").forEach(c -> names.add(c.path("name").asText()));
        assertTrue(names.containsAll(List.of("signature.attestation", "availability.input", "availability.output", "log.head",
                "log.inclusion")), names.toString());

        // A signature over other bytes does not verify: the check above can fail.
        JsonNode tampered = export.path("statement").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) tampered).put("payload",
                Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(!signatureVerifies(tampered, nodeKey), "a changed payload does not verify");

        String stranger = createAgent("live-stranger");
        assertEquals("unauthorized", export(id, stranger, 403).path("error").asText());
        assertEquals("invalid_argument", export(-1, buyerToken, 400).path("error").asText());
    }

    @Test
    @Order(2)
    void deletedBodiesDropTheRateAtTheNextRoundAndAMinimumRateLeavesTheProviderOut() throws Exception {
        JsonNode before = route("0.51");
        List<String> candidates = new ArrayList<>();
        before.path("candidates").forEach(c -> { if (!c.path("excluded").asBoolean()) candidates.add(c.path("provider").asText()); });
        assertTrue(candidates.containsAll(List.of(honest.account(), careless.account())), before.toString());

        try (var files = Files.list(careless.folder().resolve("bodies"))) {
            for (Path f : files.toList()) Files.delete(f);
        }
        JsonNode rate = null;
        for (int i = 0; i < 240; i++) {
            rate = call("verify", Map.of("provider", careless.account()));
            if (rate.path("passed").asInt() == 0) break;
            Thread.sleep(500);
        }
        assertEquals("0.0% of 2 chains verifiable, 2 completed", rate.path("text").asText(), rate + "\n" + node.stderrText());
        assertTrue(rate.path("rate_ppm").asLong() < 500_000, rate.toString());
        JsonNode failure = rate.path("failures").path(0);
        assertEquals("body_gone", failure.path("code").asText(), rate.toString());
        assertTrue(failure.path("reason").asText().contains("is gone"), failure.toString());
        assertTrue(failure.path("order_id").asLong() > 0 && failure.path("log_index").asLong() >= 0, failure.toString());
        assertEquals("100.0% of 2 chains verifiable, 2 completed",
                call("verify", Map.of("provider", honest.account())).path("text").asText(), "the other provider still verifies");

        JsonNode routed = route("0.51");
        assertEquals(honest.account(), routed.path("provider").asText(), routed.toString());
        // Paid work that verifies lifts a rate over the prior's 50%; the node's own offer has no checked chain yet.
        for (JsonNode c : routed.path("candidates")) {
            if (!c.path("provider").asText().equals(honest.account())) {
                assertTrue(c.path("excluded").asText().contains("below your minimum of 51.0%"), c.toString());
            }
        }
        List<String> listed = new ArrayList<>();
        call("providers", Map.of("model", "stories260K", "min_verification_rate", "0.51"))
                .path("providers").forEach(p -> listed.add(p.path("provider").asText()));
        assertTrue(listed.contains(honest.account()) && !listed.contains(careless.account()), listed.toString());
        assertEquals(2, call("providers", Map.of("model", "stories260K", "min_completed", 2)).path("providers").size(),
                "each completed 2 orders");
        assertEquals(0, call("providers", Map.of("model", "stories260K", "min_completed", 3, "min_verification_rate", "0"))
                .path("providers").size(), "no provider here completed 3 orders");

        long careless0 = settled.keySet().stream().filter(id -> settled.get(id).path("provider").asText().equals(careless.account()))
                .findFirst().orElseThrow();
        assertEquals("FAILED", export(careless0, buyerToken, 200).path("verification_result").asText());
    }

    @Test
    @Order(3)
    void aRestartedNodeRebuildsItsChainsFromTheLedgerAndChecksThemAgain() throws Exception {
        node.close();
        buyer.closeGracefully();
        node = NodeProcess.start(data, TestModel.folder().toString(), 0, "-Dforge.verify.period=2s");
        address = URI.create(node.awaitAddress());
        buyer = client(buyerToken);
        for (Provider p : List.of(honest, careless)) {
            assertEquals(2, call("verify", Map.of("provider", p.account())).path("completed").asInt(),
                    "every chain the ledger paid is back in the book");
        }
        JsonNode honestRate = null;
        JsonNode carelessRate = null;
        for (int i = 0; i < 240; i++) {
            honestRate = call("verify", Map.of("provider", honest.account()));
            carelessRate = call("verify", Map.of("provider", careless.account()));
            if (honestRate.path("checked").asInt() == 2 && carelessRate.path("checked").asInt() == 2) break;
            Thread.sleep(500);
        }
        assertEquals("100.0% of 2 chains verifiable, 2 completed", honestRate.path("text").asText(), node.stderrText());
        assertEquals("0.0% of 2 chains verifiable, 2 completed", carelessRate.path("text").asText(), node.stderrText());
    }

    private static JsonNode route(String minRate) {
        return call("route", Map.of("model", "stories260K", "mode", "cost", "min_verification_rate", minRate));
    }

    /** The payload of a DSSE envelope whose one signature verifies over DSSE's PAE with {@code key}. */
    private static JsonNode verifiedPayload(JsonNode envelope, byte[] key) throws Exception {
        assertEquals("application/vnd.in-toto+json", envelope.path("payloadType").asText());
        assertEquals(HexFormat.of().formatHex(sha256(key)), envelope.path("signatures").path(0).path("keyid").asText());
        assertTrue(signatureVerifies(envelope, key), envelope.toString());
        return JSON.readTree(Base64.getDecoder().decode(envelope.path("payload").asText()));
    }

    private static boolean signatureVerifies(JsonNode envelope, byte[] key) {
        byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
        byte[] type = envelope.path("payloadType").asText().getBytes(StandardCharsets.UTF_8);
        var pae = new ByteArrayOutputStream();
        pae.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        pae.writeBytes(type);
        pae.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        pae.writeBytes(payload);
        var verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(key, 0));
        byte[] bytes = pae.toByteArray();
        verifier.update(bytes, 0, bytes.length);
        return verifier.verifySignature(Base64.getDecoder().decode(envelope.path("signatures").path(0).path("sig").asText()));
    }

    /** The node's public key, from its seed in the data folder this test owns as the node's operator. */
    private static byte[] nodePublicKey() throws Exception {
        byte[] seed = HexFormat.of().parseHex(Files.readString(data.resolve("keys").resolve("node.seed")).strip());
        return new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    }

    /** The node's id as orders name it, as balance answers it. */
    private static String audience() {
        return call("balance", Map.of()).path("node_audience").asText();
    }

    private static JsonNode export(long id, String token, int expected) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(address.resolve("/v1/forge/work/export/" + id))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static long submit(String prompt, String provider) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("model", "stories260K");
        args.put("provider", provider);
        args.put("messages", List.of(Map.of("role", "user", "content", prompt)));
        args.put("max_tokens", 16);
        args.put("max_cost_cu", "1");
        args.put("reward_cu", "0.25");
        args.put("expires_in_seconds", 600);
        return call("submit_order", args).path("order_id").asLong();
    }

    private static void awaitSettled(List<Long> orders) throws Exception {
        for (int round = 0; round < 600 && !settled.keySet().containsAll(orders); round++) {
            for (long id : orders) {
                JsonNode status = call("order_status", Map.of("order_id", id));
                if (status.path("state").asText().equals("settled")) settled.put(id, status);
            }
            if (!settled.keySet().containsAll(orders)) Thread.sleep(500);
        }
        assertTrue(settled.keySet().containsAll(orders), "settled: " + settled.keySet() + "\n" + honest.lines() + "\n" + careless.lines());
    }

    private static JsonNode call(String tool, Map<String, Object> args) {
        return NodeClients.answer(buyer, tool, args);
    }

    private static McpSyncClient client(String token) {
        return NodeClients.mcp(address, token, "live-checks-it");
    }

    private static String createAgent(String id) throws Exception {
        return NodeClients.createAgent(address, operator, id);
    }

    private static String awaitLine(Process process, Path stderr, String prefix) throws Exception {
        for (int i = 0; i < 1200; i++) {
            for (String line : Files.readAllLines(stderr)) if (line.startsWith(prefix)) return line;
            if (!process.isAlive()) throw new AssertionError("the provider died: " + Files.readString(stderr));
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + prefix + "' after 120 s: " + Files.readString(stderr));
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
