package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.market.Cu;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * A node and two providers, each its own process with its own folder, key and the real
 * stories260K: an agent orders chats, both providers take and deliver, and the money, the
 * ledger's settled work and the providers' logs agree exactly with the attestations, which a
 * verifier without Forge's code checks from their bytes alone. A provider whose bodies are
 * deleted can no longer serve them (404).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static Path data;
    static NodeProcess node;
    static URI address;
    static String operator;
    static ProviderProcess first;
    static ProviderProcess second;
    static String thirdToken;
    static McpSyncClient buyer;
    /** Every provider by its account, for the audit. */
    static final Map<String, ProviderProcess> providers = new HashMap<>();

    /** A {@code forge provide} process as the launcher runs it, with its folder, stderr and the account it announced. */
    record ProviderProcess(Process process, Path folder, Path stderr, int port, String account) implements AutoCloseable {
        static ProviderProcess start(String token, String price) throws Exception {
            return start(token, price, Files.createTempDirectory("forge-provider"), NodeProcess.freePort());
        }

        /** {@code extra} flags, e.g. --once, come last. */
        static ProviderProcess start(String token, String price, Path folder, int port, String... extra) throws Exception {
            ProviderProcess started = launch(token, price, folder, port, extra);
            String serving = awaitLine(started.process(), started.stderr(), "forge provide: serving ");
            return new ProviderProcess(started.process(), folder, started.stderr(), port, serving.replaceAll(".* as (\\S+) at .*", "$1"));
        }

        /** The process as started, before it said anything. */
        static ProviderProcess launch(String token, String price, Path folder, int port, String... extra) throws Exception {
            Path tokenFile = folder.resolveSibling(folder.getFileName() + ".token");
            Files.writeString(tokenFile, token);
            Path stderr = Files.createTempFile("forge-provider", ".err");
            List<String> command = NodeProcess.cli("provide", "--node", address.toString(), "--token-file", tokenFile.toString(),
                    "--model", TestModel.folder().toString(), "--folder", folder.toString(), "--port", String.valueOf(port),
                    "--price-per-1k", price);
            command.addAll(List.of(extra));
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new ProviderProcess(process, folder, stderr, port, "");
        }

        List<String> lines() throws IOException {
            return Files.readAllLines(stderr).stream().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        }

        byte[] publicKey() throws IOException {
            byte[] seed = HexFormat.of().parseHex(Files.readString(folder.resolve("provider.key")).strip());
            return new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        }

        URI body(byte[] digest) {
            return URI.create("http://127.0.0.1:" + port + "/bodies/" + HexFormat.of().formatHex(digest));
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
        data = Files.createTempDirectory("forge-provider-it");
        node = NodeProcess.start(data, TestModel.folder().toString());
        address = URI.create(node.awaitAddress());
        operator = Identities.operatorToken(data);
        String buyerToken = createAgent("buyer");
        first = ProviderProcess.start(createAgent("seller-a"), "2");
        second = ProviderProcess.start(createAgent("seller-b"), "3");
        thirdToken = createAgent("seller-c");
        buyer = client(buyerToken);
    }

    @AfterAll
    static void stop() throws Exception {
        if (buyer != null) buyer.closeGracefully();
        for (AutoCloseable p : new AutoCloseable[] {first, second, node}) if (p != null) p.close();
    }

    @Test
    @Order(2) // last: it stops the node to audit its ledger
    void twoProvidersServeOrdersAndEveryAttestationVerifiesFromItsBytesAlone() throws Exception {
        assertNotEquals(first.account(), second.account());
        long before = Cu.parse(call("balance", Map.of()).path("balance_cu").asText());
        List<Long> orders = new ArrayList<>();
        String[] prompts = {"Once upon a time", "The little dog", "One day, Lily", "Tom had a ball", "The sun was"};
        for (int i = 0; i < prompts.length; i++) {
            // Two orders named for each provider, and one open to whichever takes it first.
            String provider = i == 4 ? "" : i % 2 == 0 ? first.account() : second.account();
            orders.add(submit(prompts[i], provider, i % 2 == 0 ? "0.25" : "0"));
        }
        Map<Long, JsonNode> settled = awaitSettled(orders);

        // The bodies each attestation names are served by the provider that ran it, and match their digests.
        Map<Long, byte[][]> bodies = new HashMap<>();
        for (long id : orders) {
            var a = ThirdPartyVerifier.attestation(decode(settled.get(id).path("attestation").asText()));
            ProviderProcess by = a.provider().equals(first.account()) ? first : second;
            byte[] input = fetch(by.body(a.inputDigest()), 200);
            byte[] output = fetch(by.body(a.outputDigest()), 200);
            assertArrayEquals(decode(settled.get(id).path("output").asText()), output);
            bodies.put(id, new byte[][] {input, output});
        }
        long after = Cu.parse(call("balance", Map.of()).path("balance_cu").asText());
        providers.put(first.account(), first);
        providers.put(second.account(), second);

        // Deleting a provider's stored bodies makes them unfetchable; the other provider's stay.
        var one = ThirdPartyVerifier.attestation(decode(settled.get(orders.getFirst()).path("attestation").asText()));
        deleteBodies(first.folder().resolve("bodies"));
        fetch(first.body(one.outputDigest()), 404);
        var other = ThirdPartyVerifier.attestation(decode(settled.get(orders.get(1)).path("attestation").asText()));
        fetch(second.body(other.outputDigest()), 200);

        for (ProviderProcess p : List.of(first, second)) {
            long served = orders.stream().filter(id -> settled.get(id).path("provider").asText().equals(p.account())).count();
            // The provider writes its line once deliver has answered it, which can be after the node shows the order settled.
            long lines = settledLines(p);
            for (int i = 0; i < 100 && lines < served; i++, lines = settledLines(p)) Thread.sleep(100);
            assertEquals(served, lines, String.join("\n", p.lines()));
            assertTrue(served >= 2, p.account() + " served " + served);
        }
        // A provider run with --once serves one order and exits. Then the state a crash between the node's settle and
        // the log's append leaves: the attestation only in log/pending. Started again, it asks the node, appends it, goes on.
        Path folder = Files.createTempDirectory("forge-provider");
        List<ProviderProcess> onceRuns = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            var once = ProviderProcess.start(thirdToken, "1", folder, NodeProcess.freePort(), "--once");
            assertTrue(once.lines().getFirst().endsWith(", 0 attestations in the log"), once.lines().getFirst());
            if (run == 1) {
                awaitLine(once.process(), once.stderr(), "forge provide: order " + orders.getLast()
                        + " settled (found after a restart), log index 0");
            }
            long id = submit("A cat sat", once.account(), "0");
            orders.add(id);
            assertTrue(once.process().waitFor(180, TimeUnit.SECONDS), "--once exits after its order");
            assertEquals(0, once.process().exitValue(), String.join("\n", once.lines()));
            assertTrue(once.lines().getLast().matches("forge provide: order " + id + " settled: .*, log index " + run), once.lines().getLast());
            JsonNode status = call("order_status", Map.of("order_id", id));
            settled.put(id, status);
            var a = ThirdPartyVerifier.attestation(decode(status.path("attestation").asText()));
            bodies.put(id, new byte[][] {Files.readAllBytes(folder.resolve("bodies").resolve(HexFormat.of().formatHex(a.inputDigest()))),
                    decode(status.path("output").asText())});
            onceRuns.add(once);
            if (run == 0) crashBeforeTheAppend(folder.resolve("log"), id);
        }
        providers.put(onceRuns.getFirst().account(), onceRuns.getFirst());
        after = Cu.parse(call("balance", Map.of()).path("balance_cu").asText());

        String audience = nodeAudience();
        first.close();
        second.close();
        node.close();
        auditTheLedger(orders, settled, bodies, before, after, audience);
    }

    /** The launcher runs a provider with the Vector API, as the node: the JVM's one notice of it is not the command's. */
    @Test
    @Order(1)
    void aBadFlagIsOneLineFromTheLauncher() throws Exception {
        var result = Launcher.run("provide", "--node", address.toString(), "--token", "t", "--model", TestModel.folder().toString(),
                "--price-per-1k", "1.5e3");
        assertEquals(1, result.exit());
        assertEquals(List.of("forge: --price-per-1k: an amount of CU is written like \"12.5\": up to 12 digits, optionally a point "
                + "and up to 6 decimals"), withoutVectorNotice(result.err()));
        var noNode = Launcher.run("provide", "--token", "t", "--model", TestModel.folder().toString());
        assertEquals(List.of("forge: provide needs --node URL (the node's address)"), withoutVectorNotice(noNode.err()));
    }

    @Test
    @Order(1)
    void aTokenTheNodeRefusesEndsTheProviderInOneLine() throws Exception {
        try (var refused = ProviderProcess.launch("forge_ag_wrong", "1", Files.createTempDirectory("forge-provider"), 0)) {
            assertTrue(refused.process().waitFor(180, TimeUnit.SECONDS));
            assertEquals(1, refused.process().exitValue());
            assertEquals(List.of("forge: unauthorized: the node at " + address + " does not accept this token (check --token-file)"),
                    refused.lines());
        }
    }

    private static List<String> withoutVectorNotice(List<String> lines) {
        return lines.stream().filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector")).toList();
    }

    /** With the node stopped: its ledger's settled work, checked leaf by leaf by the third-party verifier. */
    private static void auditTheLedger(List<Long> orders, Map<Long, JsonNode> settled, Map<Long, byte[][]> bodies, long before,
                                       long after, String audience) throws Exception {
        try (Ledger ledger = Ledger.open(data.resolve("ledger"))) {
            List<byte[]> leaves = new ArrayList<>();
            Map<String, List<ThirdPartyVerifier.Attestation>> chains = new HashMap<>();
            Set<String> nonces = new HashSet<>();
            Map<String, Long> paidTo = new HashMap<>();
            long paid = 0;
            for (long id = 1; id <= ledger.logSize(); id++) {
                var work = ThirdPartyVerifier.settledWork(ledger.settledWork(id).orElseThrow().leafBytes());
                leaves.add(work.leafBytes());
                var o = work.order();
                var a = work.attestation();
                String provider = a.provider();
                List<ThirdPartyVerifier.Attestation> chain = chains.computeIfAbsent(provider, k -> new ArrayList<>());
                byte[] last = chain.isEmpty() ? new byte[32] : chain.getLast().digest();
                byte[] providerKey = providers.get(provider).publicKey();
                byte[] orderKey = ledger.account(o.buyer()).orElseThrow().publicKey();
                boolean reused = !nonces.add(o.buyer() + ":" + HexFormat.of().formatHex(o.nonce()));
                byte[][] body = bodies.get(work.orderId());
                assertEquals(List.of(), ThirdPartyVerifier.failures(o, a, orderKey, providerKey, audience, body[0], body[1],
                        chain.size(), last, reused, provider), "order " + work.orderId());
                assertArrayEquals(ThirdPartyVerifier.modelDigest(TestModel.folder()), a.modelDigest());
                assertArrayEquals(decode(settled.get(work.orderId()).path("attestation").asText()),
                        concat(a.signedBytes(), a.signature()), "the node answers the attestation the ledger holds");
                chain.add(a);

                long p = a.amount() + o.reward();
                assertEquals(p, Cu.parse(settled.get(work.orderId()).path("paid_cu").asText()));
                var transfer = ledger.findTransfer(work.transferId()).orElseThrow();
                assertEquals(provider, transfer.creditAccount());
                assertEquals(p, transfer.amount());
                paidTo.merge(provider, p, Long::sum);
                paid += p;
            }
            assertEquals(orders.size(), leaves.size(), "one settled work per order, and nothing else");
            assertArrayEquals(ThirdPartyVerifier.merkleRoot(leaves), ledger.merkleRoot());
            assertEquals(before - paid, after, "the buyer paid exactly the attested amounts and rewards");
            assertEquals(after, ledger.account("buyer").orElseThrow().balance());
            assertEquals(providers.keySet(), chains.keySet());
            for (ProviderProcess p : providers.values()) {
                assertEquals(paidTo.get(p.account()), ledger.account(p.account()).orElseThrow().balance());
                checkLog(p, chains.get(p.account()));
            }
        }
    }

    /** The provider's own log holds exactly its settled chain, under a signed head whose root is theirs. */
    private static void checkLog(ProviderProcess p, List<ThirdPartyVerifier.Attestation> chain) throws IOException {
        List<byte[]> logged = ThirdPartyVerifier.records(p.folder().resolve("log").resolve("attestations"));
        assertEquals(chain.size(), logged.size());
        List<byte[]> digests = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            assertArrayEquals(concat(chain.get(i).signedBytes(), chain.get(i).signature()), logged.get(i));
            digests.add(chain.get(i).digest());
        }
        var head = ThirdPartyVerifier.treeHead(ThirdPartyVerifier.records(p.folder().resolve("log").resolve("heads")).getLast());
        assertEquals(p.account(), head.provider());
        assertEquals(chain.size(), head.size());
        assertArrayEquals(ThirdPartyVerifier.merkleRoot(digests), head.root());
        assertTrue(ThirdPartyVerifier.ed25519(p.publicKey(), head.signedBytes(), head.signature()));
    }

    /** Puts the log back to before the append of its one attestation, which waits in log/pending (docs/provider.md). */
    private static void crashBeforeTheAppend(Path log, long orderId) throws IOException {
        List<byte[]> attestations = ThirdPartyVerifier.records(log.resolve("attestations"));
        List<byte[]> heads = ThirdPartyVerifier.records(log.resolve("heads"));
        assertEquals(1, attestations.size());
        assertEquals(0, ThirdPartyVerifier.treeHead(heads.getFirst()).size());
        byte[] attestation = attestations.getFirst();
        Files.write(log.resolve("pending"), java.nio.ByteBuffer.allocate(8 + attestation.length).putLong(orderId).put(attestation).array());
        Files.write(log.resolve("attestations"), new byte[0]);
        byte[] head = heads.getFirst();
        Files.write(log.resolve("heads"), java.nio.ByteBuffer.allocate(4 + head.length).putInt(head.length).put(head).array());
    }

    private static long submit(String prompt, String provider, String reward) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("model", "stories260K");
        if (!provider.isEmpty()) args.put("provider", provider);
        args.put("messages", List.of(Map.of("role", "user", "content", prompt)));
        args.put("max_tokens", 16);
        args.put("max_cost_cu", "1");
        if (!reward.equals("0")) args.put("reward_cu", reward);
        args.put("expires_in_seconds", 600);
        return call("submit_order", args).path("order_id").asLong();
    }

    private static Map<Long, JsonNode> awaitSettled(List<Long> orders) throws Exception {
        Map<Long, JsonNode> settled = new HashMap<>();
        for (int round = 0; round < 600 && settled.size() < orders.size(); round++) {
            for (long id : orders) {
                if (settled.containsKey(id)) continue;
                JsonNode status = call("order_status", Map.of("order_id", id));
                if (status.path("state").asText().equals("settled")) settled.put(id, status);
            }
            if (settled.size() < orders.size()) Thread.sleep(500);
        }
        assertEquals(orders.size(), settled.size(), "settled: " + settled.keySet() + "\nA:\n" + String.join("\n", first.lines())
                + "\nB:\n" + String.join("\n", second.lines()));
        return settled;
    }

    /** The node's id as orders name it, as balance answers it. */
    private static String nodeAudience() {
        return call("balance", Map.of()).path("node_audience").asText();
    }

    private static long settledLines(ProviderProcess p) throws IOException {
        return p.lines().stream().filter(l -> l.matches("forge provide: order \\d+ settled: .*")).count();
    }

    private static JsonNode call(String tool, Map<String, Object> args) {
        return NodeClients.answer(buyer, tool, args);
    }

    private static McpSyncClient client(String token) {
        return NodeClients.mcp(address, token, "provider-it");
    }

    private static String createAgent(String id) throws Exception {
        return NodeClients.createAgent(address, operator, id);
    }

    private static byte[] fetch(URI uri, int expected) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(expected, response.statusCode(), uri.toString());
        if (expected == 200) assertArrayEquals(ThirdPartyVerifier.sha256(response.body()),
                HexFormat.of().parseHex(uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1)));
        return response.body();
    }

    private static void deleteBodies(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) Files.delete(f);
        }
    }

    private static String awaitLine(Process process, Path stderr, String prefix) throws Exception {
        for (int i = 0; i < 1200; i++) {
            for (String line : Files.readAllLines(stderr)) if (line.startsWith(prefix)) return line;
            if (!process.isAlive()) throw new AssertionError("the provider died: " + Files.readString(stderr));
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + prefix + "' after 120 s: " + Files.readString(stderr));
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
