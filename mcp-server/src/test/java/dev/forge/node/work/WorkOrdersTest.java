package dev.forge.node.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.node.ForgeNode;
import dev.forge.node.NodeTestResource;
import dev.forge.node.TestModel;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Work orders end to end on the shared test node, over the MCP SDK's own client: buyers order,
 * providers played by the test (their own keys, real signatures over real output bodies) take
 * and deliver, and the ledger's balances must equal the attestations exactly. Every hostile
 * delivery is refused with its stable code and pays nothing.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class WorkOrdersTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    static final String MODEL = "stories260K";
    static final String OUTPUT = ", there was a little girl named Lily. She loved to play outside.";
    /** 2 CU per 1,000 tokens. */
    static final long PRICE = 2_000_000;

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    private final List<McpSyncClient> clients = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();

    @AfterEach
    void closeClients() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    record Agent(String id, String token, McpSyncClient mcp) {
    }

    Agent agent(String id) {
        String token = node.createAgent(id);
        var transport = HttpClientStreamableHttpTransport.builder(base.toString()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON)).customizeClient(c -> c.version(HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        clients.add(client);
        return new Agent(id, token, client);
    }

    /** A successful call's structured answer. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> ok(Agent agent, String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = agent.mcp().callTool(new McpSchema.CallToolRequest(tool, arguments));
        assertEquals(Boolean.FALSE, result.isError(), tool + ": " + result.structuredContent());
        return (Map<String, Object>) result.structuredContent();
    }

    /** A refused call's stable code. */
    @SuppressWarnings("unchecked")
    static String refused(Agent agent, String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = agent.mcp().callTool(new McpSchema.CallToolRequest(tool, arguments));
        assertEquals(Boolean.TRUE, result.isError(), tool + " should be refused: " + result.structuredContent());
        var body = assertInstanceOf(Map.class, result.structuredContent());
        return (String) body.get("error");
    }

    /** Registers the provider's own key and offers the test model at {@link #PRICE}. */
    TestProvider provider(Agent agent) {
        var provider = new TestProvider();
        Map<String, Object> key = register(agent, provider.key, "http://127.0.0.1:9/bodies");
        provider.account = (String) key.get("account");
        assertEquals(RegisteredKey.accountOf(provider.key.publicKey()), provider.account);
        assertEquals(HexFormat.of().formatHex(Sha256.hash(provider.key.publicKey())), key.get("key_id"));
        Map<String, Object> offered = ok(agent, "offer", Map.of("model", MODEL, "model_digest", modelDigest(), "tier", "tiny",
                "price_per_1k_cu", "2"));
        assertEquals(provider.account, offered.get("provider"));
        return provider;
    }

    /** register_key with the key's proof for this agent on this node. */
    Map<String, Object> register(Agent agent, Ed25519.KeyPair key, String bodiesUrl) {
        return ok(agent, "register_key", TestProvider.registration(key, agent.id(), node.work().audience(), bodiesUrl));
    }

    static String modelDigest() {
        return HexFormat.of().formatHex(ModelDigest.of(TestModel.folder()));
    }

    /** A custodial chat order: the node writes and signs it for the buyer. */
    static Map<String, Object> chatOrder(String maxCost, String reward, int expiresInSeconds) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("model", MODEL);
        order.put("messages", List.of(Map.of("role", "user", "content", "Once upon a time")));
        order.put("max_tokens", 16);
        order.put("max_cost_cu", maxCost);
        order.put("reward_cu", reward);
        order.put("expires_in_seconds", expiresInSeconds);
        return order;
    }

    static long orderId(Map<String, Object> answer) {
        return ((Number) answer.get("order_id")).longValue();
    }

    /** The order as open_orders shows it to this provider. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> listed(Agent provider, long orderId) {
        var orders = (List<Map<String, Object>>) ok(provider, "open_orders", Map.of("limit", 50)).get("orders");
        return orders.stream().filter(o -> ((Number) o.get("order_id")).longValue() == orderId).findFirst()
                .orElseThrow(() -> new AssertionError("order " + orderId + " is not in open_orders: " + orders));
    }

    static Map<String, Object> delivery(long orderId, SignedAttestation attestation, String output) {
        return Map.of("order_id", orderId, "attestation", TestProvider.base64(attestation.encode()), "output",
                TestProvider.base64(output));
    }

    long balance(String account) {
        return node.ledger().account(account).map(Account::balance).orElse(0L);
    }

    long available(String account) {
        return node.ledger().account(account).map(Account::available).orElseThrow();
    }

    @Test
    void anOrderIsTakenOnceDeliveredAndPaidExactlyWhatItsAttestationStates() throws Exception {
        Agent alice = agent("wo-alice");
        Agent pat = agent("wo-pat");
        Agent quinn = agent("wo-quinn");
        Agent stranger = agent("wo-stranger");
        TestProvider provider = provider(pat);
        provider(quinn);
        long aliceBefore = balance(alice.id());

        Map<String, Object> submitted = ok(alice, "submit_order", chatOrder("1", "0.25", 600));
        long id = orderId(submitted);
        assertEquals("open", submitted.get("state"));
        assertEquals("1.250000", submitted.get("held_cu"));
        assertEquals(aliceBefore - 1_250_000, available(alice.id()), "max cost plus reward is held");

        Map<String, Object> listed = listed(pat, id);
        byte[] orderBytes = Base64.getDecoder().decode((String) listed.get("order"));
        SignedWorkOrder order = SignedWorkOrder.decode(orderBytes);
        assertEquals(submitted.get("order_digest"), HexFormat.of().formatHex(order.digest()));
        assertEquals(WorkOrder.Signer.CUSTODIAL, order.order().signer());
        assertTrue(order.verifies(Ed25519.PublicKey.decode(node.identities().agentKey(alice.id()).orElseThrow().publicKey())),
                "signed with the buyer's custodial key");
        ChatRequest chat = ChatRequest.orderedBy(order.order(), Base64.getDecoder().decode((String) listed.get("input")));
        assertEquals(MODEL, chat.model());

        assertEquals("taken", ok(pat, "take_order", Map.of("order_id", id)).get("state"));
        assertEquals("order_taken", refused(quinn, "take_order", Map.of("order_id", id)), "a second take is refused");
        assertTrue(((List<?>) ok(quinn, "open_orders", Map.of()).get("orders")).stream()
                .noneMatch(o -> ((Number) ((Map<?, ?>) o).get("order_id")).longValue() == id), "a taken order is no longer open");

        Attestation attestation = provider.attest(orderBytes, OUTPUT, 5, 11, PRICE);
        SignedAttestation signed = provider.sign(attestation);
        Map<String, Object> delivered = ok(pat, "deliver", delivery(id, signed, OUTPUT));
        provider.advance(signed);
        long paid = attestation.amount() + 250_000;
        assertEquals(32_000, attestation.amount(), "16 tokens at 2 CU per 1,000");
        assertEquals("settled", delivered.get("state"));
        assertEquals(Cu.format(paid), delivered.get("paid_cu"));
        assertEquals(Cu.format(1_250_000 - paid), delivered.get("released_cu"));
        assertEquals(0, ((Number) delivered.get("log_index")).intValue());

        assertEquals(aliceBefore - paid, balance(alice.id()), "the buyer paid the amount plus the reward");
        assertEquals(aliceBefore - paid, available(alice.id()), "the rest of the hold was released");
        assertEquals(paid, balance(provider.account), "the provider's key account was paid");
        assertEquals(Cu.format(aliceBefore - paid), ok(alice, "balance", Map.of()).get("balance_cu"));

        Map<String, Object> status = ok(alice, "order_status", Map.of("order_id", id));
        assertEquals("settled", status.get("state"));
        assertEquals(alice.id(), status.get("buyer"));
        assertEquals(provider.account, status.get("provider"));
        assertEquals(Cu.format(paid), status.get("paid_cu"));
        assertEquals(OUTPUT, new String(Base64.getDecoder().decode((String) status.get("output")), StandardCharsets.UTF_8));
        assertEquals(TestProvider.base64(signed.encode()), status.get("attestation"));
        assertEquals("settled", ok(pat, "order_status", Map.of("order_id", id)).get("state"), "the provider sees it");
        assertEquals("unauthorized", refused(stranger, "order_status", Map.of("order_id", id)));
        assertEquals("unauthorized", refused(quinn, "order_status", Map.of("order_id", id)), "nor another provider");
        assertEquals("unauthorized", refused(stranger, "order_status", Map.of("order_id", 999_999)),
                "a missing order answers the same");

        // Its bodies_url answers nothing (port 9): the live checks prove nothing yet, so the chain is not counted.
        Map<String, Object> rate = ok(stranger, "verify", Map.of("provider", provider.account));
        assertEquals(0, ((Number) rate.get("checked")).intValue(), rate.toString());
        assertEquals(0, ((Number) rate.get("passed")).intValue());
        assertEquals(1, ((Number) rate.get("completed")).intValue());
        assertEquals("no chains checked yet, 1 completed", rate.get("text"));
        assertEquals(500_000, ((Number) rate.get("rate_ppm")).longValue(), "the prior alone");

        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> viaRest = http.send(HttpRequest.newBuilder(base.resolve("/v1/forge/verify/" + provider.account))
                .header("Authorization", "Bearer " + stranger.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaRest.statusCode(), viaRest.body());
        assertEquals(rate, JSON.readValue(viaRest.body(), MAP), "REST answers what the tool answers");
        HttpResponse<String> status404 = http.send(HttpRequest.newBuilder(base.resolve("/v1/forge/work/order_status"))
                .header("Authorization", "Bearer " + stranger.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"order_id\":" + id + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, status404.statusCode(), status404.body());
        assertEquals("unauthorized", JSON.readValue(status404.body(), MAP).get("error"));
    }

    @Test
    void everyHostileDeliveryIsRefusedWithItsCodeAndPaysNothing() throws Exception {
        Agent bob = agent("wo-bob");
        Agent hal = agent("wo-hal");
        TestProvider provider = provider(hal);
        long bobBefore = balance(bob.id());

        // Each case: a fresh order, taken by hal, then one bad delivery.
        long forged = takenOrder(bob, hal, 600);
        byte[] forgedOrder = orderBytes(forged);
        SignedAttestation honestForForged = provider.sign(provider.attest(forgedOrder, OUTPUT, 5, 11, PRICE));
        assertEquals("output_mismatch", refused(hal, "deliver", delivery(forged, honestForForged, "a forged text")));

        long inflated = takenOrder(bob, hal, 600);
        SignedAttestation tooMuch = provider.sign(provider.attest(orderBytes(inflated), OUTPUT, 5, 11, 100_000_000));
        assertEquals("amount_exceeds_order", refused(hal, "deliver", delivery(inflated, tooMuch, OUTPUT)));

        long otherKey = takenOrder(bob, hal, 600);
        Attestation forOtherKey = provider.attest(orderBytes(otherKey), OUTPUT, 5, 11, PRICE);
        SignedAttestation wrongKey = SignedAttestation.sign(forOtherKey, Ed25519.generate());
        assertEquals("invalid_signature", refused(hal, "deliver", delivery(otherKey, wrongKey, OUTPUT)));

        long expiring = takenOrder(bob, hal, 2);
        SignedAttestation inTime = provider.sign(provider.attest(orderBytes(expiring), OUTPUT, 5, 11, PRICE));
        long expiresAt = node.ledger().order(expiring).orElseThrow().expiresAt();
        while (System.currentTimeMillis() <= expiresAt + 50) Thread.sleep(100);
        assertEquals("order_expired", refused(hal, "deliver", delivery(expiring, inTime, OUTPUT)));
        assertEquals("void", ok(bob, "order_status", Map.of("order_id", expiring)).get("state"));

        Agent mallory = agent("wo-mallory");
        provider(mallory);
        assertEquals("order_not_taken", refused(mallory, "deliver", delivery(forged, honestForForged, OUTPUT)),
                "only the taker delivers");
        assertEquals("malformed_work_record", refused(hal, "deliver", Map.of("order_id", forged, "attestation",
                TestProvider.base64("not an attestation"), "output", TestProvider.base64(OUTPUT))));
        assertEquals("invalid_argument", refused(hal, "deliver", Map.of("order_id", forged, "attestation",
                TestProvider.base64(honestForForged.encode()).replace("=", ""), "output", TestProvider.base64(OUTPUT))),
                "base64 without its padding is refused");
        assertEquals("invalid_argument", refused(hal, "deliver", Map.of("order_id", forged, "attestation",
                "A".repeat(4_000), "output", TestProvider.base64(OUTPUT))), "an attestation over 2,048 bytes is refused");
        assertEquals("invalid_argument", refused(hal, "open_orders", Map.of("limit", 51)));

        assertEquals(0, balance(provider.account), "no refused delivery paid anything");
        assertEquals(bobBefore, balance(bob.id()), "the buyer paid nothing");
        assertEquals(bobBefore - 3 * 1_250_000, available(bob.id()), "the expired order's hold is released, the others stay");
        assertEquals("taken", ok(bob, "order_status", Map.of("order_id", forged)).get("state"), "a refused order stays taken");

        // An honest delivery still settles the forged-output order; then its nonce is spent.
        SignedAttestation honest = provider.sign(provider.attest(forgedOrder, OUTPUT, 5, 11, PRICE));
        assertEquals("settled", ok(hal, "deliver", delivery(forged, honest, OUTPUT)).get("state"));
        provider.advance(honest);
        long paid = honest.attestation().amount() + 250_000;
        assertEquals(paid, balance(provider.account));
        assertEquals("settled", ok(hal, "deliver", delivery(forged, honest, OUTPUT)).get("state"), "a retry answers the same");
        assertEquals(paid, balance(provider.account), "and is not paid twice");
        SignedAttestation replay = provider.sign(provider.attest(forgedOrder, OUTPUT, 4, 11, PRICE));
        assertEquals("nonce_reused", refused(hal, "deliver", delivery(forged, replay, OUTPUT)));
        assertEquals(paid, balance(provider.account), "a replayed nonce pays nothing");
        assertEquals(bobBefore - paid, balance(bob.id()));

        Map<String, Object> rate = ok(bob, "verify", Map.of("provider", provider.account));
        // Refused deliveries were never paid: they are no chains and do not count, but verify lists them.
        assertEquals(0, ((Number) rate.get("checked")).intValue(), rate.toString());
        assertEquals(1, ((Number) rate.get("completed")).intValue());
        var codes = ((List<?>) rate.get("failures")).stream().map(f -> ((Map<?, ?>) f).get("code")).toList();
        assertEquals(List.of("nonce_reused", "order_expired", "invalid_signature", "amount_exceeds_order", "output_mismatch"), codes);
        assertNotEquals(1.0, ((Number) rate.get("rate")).doubleValue());
        var checks = (List<?>) ok(bob, "order_status", Map.of("order_id", otherKey)).get("checks");
        assertTrue(checks.stream().anyMatch(c -> ((Map<?, ?>) c).get("check").equals("signature.attestation")
                && ((Map<?, ?>) c).get("verdict").equals("fail")), checks.toString());
    }

    @Test
    void aBuyerSignsItsOwnOrderWithTheKeyItKeeps() throws Exception {
        Agent sid = agent("wo-sid");
        Agent ivy = agent("wo-ivy");
        TestProvider ivyProvider = provider(ivy);
        var buyerKey = Ed25519.generate();
        Map<String, Object> key = register(sid, buyerKey, "");
        String account = (String) key.get("account");
        String audience = (String) key.get("audience");
        assertEquals(key, register(sid, buyerKey, ""), "the same key again changes nothing");
        assertEquals("key_exists", refused(sid, "register_key", TestProvider.registration(Ed25519.generate(), sid.id(),
                audience, "")));
        ok(sid, "move_funds", Map.of("amount_cu", "10", "from", "account"));

        var replay = new Replay(16, 0, 7, List.of());
        byte[] input = ChatRequest.chat(MODEL, List.of(new ChatRequest.Message(ChatRequest.Role.USER, "Once upon a time")), replay).bytes();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        WorkOrder order = order(account, input, replay, nonce, audience);
        var signed = SignedWorkOrder.sign(order, buyerKey);
        Map<String, Object> submit = Map.of("order", TestProvider.base64(signed.encode()), "input", TestProvider.base64(input));

        assertEquals("invalid_signature", refused(sid, "submit_order", Map.of("order",
                TestProvider.base64(SignedWorkOrder.sign(order, Ed25519.generate()).encode()), "input", TestProvider.base64(input))));
        assertEquals("input_mismatch", refused(sid, "submit_order", Map.of("order", submit.get("order"), "input",
                TestProvider.base64("another input"))));
        assertEquals("wrong_buyer", refused(ivy, "submit_order", submit), "only the buyer's own agent may submit it");
        assertEquals(10_000_000, available(account), "refused orders hold nothing");

        long id = orderId(ok(sid, "submit_order", submit));
        assertEquals(id, orderId(ok(sid, "submit_order", submit)), "the same signed order again is the same order");
        WorkOrder sameNonce = order(account, input, new Replay(8, 0, 7, List.of()), nonce, audience);
        byte[] otherInput = ChatRequest.chat(MODEL, List.of(new ChatRequest.Message(ChatRequest.Role.USER, "Once upon a time")),
                sameNonce.replay()).bytes();
        sameNonce = order(account, otherInput, sameNonce.replay(), nonce, audience);
        assertEquals("nonce_reused", refused(sid, "submit_order", Map.of("order",
                TestProvider.base64(SignedWorkOrder.sign(sameNonce, buyerKey).encode()), "input", TestProvider.base64(otherInput))));

        ok(ivy, "take_order", Map.of("order_id", id));
        SignedAttestation attestation = ivyProvider.sign(ivyProvider.attest(signed.encode(), OUTPUT, 5, 11, PRICE));
        assertEquals("settled", ok(ivy, "deliver", delivery(id, attestation, OUTPUT)).get("state"));
        long paid = attestation.attestation().amount() + order.reward();
        assertEquals(10_000_000 - paid, balance(account));
        assertEquals(10_000_000 - paid, available(account));
        assertEquals(paid, balance(ivyProvider.account));
        assertEquals("settled", ok(sid, "order_status", Map.of("order_id", id)).get("state"), "the buyer's agent sees it");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCustodialOrderPassesTheSafetyPipelineAsAChatDoes() throws Exception {
        Agent cara = agent("wo-cara");
        provider(agent("wo-pia"));
        long before = available(cara.id());
        node.pipeline().setPolicy(Actor.operator(), cara.id(), new BudgetPolicy(1_000_000, 200_000_000, 1_000_000_000, 1_000_000_000));
        assertEquals("budget_request", refused(cara, "submit_order", chatOrder("1", "0.25", 600)), "1.25 CU is above 1 CU a request");
        assertEquals(before, available(cara.id()), "a refused order holds nothing");

        node.pipeline().setPolicy(Actor.operator(), cara.id(), new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 1_000));
        McpSchema.CallToolResult held = cara.mcp().callTool(new McpSchema.CallToolRequest("submit_order", chatOrder("1", "0.25", 600)));
        var body = (Map<String, Object>) held.structuredContent();
        assertEquals("approval_required", body.get("error"), body.toString());
        String approval = (String) body.get("approval_id");
        node.pipeline().approve(Actor.operator(), approval, "fine");
        Map<String, Object> again = new LinkedHashMap<>(chatOrder("1", "0.25", 600));
        again.put("approval_id", approval);
        assertEquals("open", ok(cara, "submit_order", again).get("state"));
        assertEquals(before - 1_250_000, available(cara.id()), "only the order's hold remains");
        assertEquals("approval_used", refused(cara, "submit_order", again), "an approval is used once");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKeyIsRegisteredOnlyWithItsHoldersProofForThisAgentAndNode() {
        Agent kim = agent("wo-kim");
        var key = Ed25519.generate();
        String audience = node.work().audience();
        String url = "http://127.0.0.1:9/kim";
        String publicKey = TestProvider.base64(key.publicKey());
        assertEquals(audience, ok(kim, "balance", Map.of()).get("node_audience"), "balance names the node's id");
        assertEquals(kim.id(), ok(kim, "balance", Map.of()).get("account"), "and the agent's");

        McpSchema.CallToolResult missing = kim.mcp().callTool(new McpSchema.CallToolRequest("register_key",
                Map.of("public_key", publicKey)));
        var body = (Map<String, Object>) missing.structuredContent();
        assertEquals("key_proof_invalid", body.get("error"), body.toString());
        assertTrue(((String) body.get("message")).contains(audience), "the refusal names the node's id: " + body);
        Map<String, String> proofs = new LinkedHashMap<>();
        proofs.put("by another key", proof(Ed25519.generate(), kim.id(), audience, url));
        proofs.put("for another agent", proof(key, "wo-someone", audience, url));
        proofs.put("for another node", proof(key, kim.id(), "node:" + "0".repeat(32), url));
        proofs.put("for another bodies_url", proof(key, kim.id(), audience, ""));
        proofs.put("not base64", "!".repeat(88));
        proofs.put("64 zero bytes", TestProvider.base64(new byte[64]));
        proofs.forEach((what, proof) -> assertEquals("key_proof_invalid", refused(kim, "register_key",
                Map.of("public_key", publicKey, "bodies_url", url, "proof", proof)), "a proof " + what));
        assertTrue(node.work().keyOf(kim.id()).isEmpty(), "nothing was stored");
        assertTrue(node.ledger().account(RegisteredKey.accountOf(key.publicKey())).isEmpty(), "no account was opened");
        assertTrue(!ok(kim, "balance", Map.of()).containsKey("key_account"));

        Map<String, Object> registered = register(kim, key, url);
        assertEquals(url, registered.get("bodies_url"));
        assertEquals(registered.get("account"), ok(kim, "balance", Map.of()).get("key_account"));
        assertEquals("0.000000", ok(kim, "balance", Map.of()).get("key_balance_cu"));
        assertEquals("key_proof_invalid", refused(kim, "register_key", Map.of("public_key", publicKey, "bodies_url",
                "http://127.0.0.1:9/elsewhere", "proof", proof(key, kim.id(), audience, url))), "the old proof for a new URL");
        assertEquals(url, node.work().keyOf(kim.id()).orElseThrow().bodiesUrl(), "the URL stayed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void earningsMovedFromTheKeyAccountAreSpendableAndOnlyTheTokensOwnAccountsMove() throws Exception {
        Agent buyer = agent("wo-payer");
        Agent earner = agent("wo-earner");
        Agent thief = agent("wo-thief");
        TestProvider provider = provider(earner);
        long id = orderId(ok(buyer, "submit_order", chatOrder("1", "0.25", 600)));
        ok(earner, "take_order", Map.of("order_id", id));
        SignedAttestation signed = provider.sign(provider.attest(orderBytes(id), OUTPUT, 5, 11, PRICE));
        ok(earner, "deliver", delivery(id, signed, OUTPUT));
        long earned = signed.attestation().amount() + 250_000;
        Map<String, Object> shown = ok(earner, "balance", Map.of());
        assertEquals(provider.account, shown.get("key_account"));
        assertEquals(Cu.format(earned), shown.get("key_balance_cu"));
        assertEquals(Cu.format(earned), ok(earner, "balance", Map.of("account", provider.account)).get("balance_cu"),
                "an agent may name its own key's account");
        assertEquals("unauthorized", refused(thief, "balance", Map.of("account", provider.account)), "but not another's");

        // Everything of the earner's own account goes to its key: then it cannot pay for an order from its account.
        long own = balance(earner.id());
        Map<String, Object> parked = ok(earner, "move_funds", Map.of("amount_cu", Cu.format(own), "from", "account"));
        assertEquals(Map.of("moved_cu", Cu.format(own), "account_cu", "0.000000", "key_cu", Cu.format(own + earned)), parked);
        assertEquals("insufficient_funds", refused(earner, "submit_order", chatOrder("0.2", "0.01", 600)));
        assertEquals("insufficient_funds", refused(earner, "move_funds", Map.of("amount_cu", "0.000001", "from", "account")));

        // Strangers move nothing of it: no argument names an account, and their own key account is empty.
        long thiefOwn = balance(thief.id());
        assertEquals("key_not_registered", refused(thief, "move_funds", Map.of("amount_cu", "0.1", "from", "key")));
        register(thief, Ed25519.generate(), "");
        assertEquals("insufficient_funds", refused(thief, "move_funds", Map.of("amount_cu", "0.1", "from", "key")));
        assertEquals("invalid_argument", refused(thief, "move_funds", Map.of("amount_cu", "0.1", "from", "key",
                "account", provider.account)));
        assertEquals("invalid_argument", refused(thief, "move_funds", Map.of("amount_cu", "0.1", "from", provider.account)));
        assertEquals("invalid_argument", refused(thief, "move_funds", Map.of("amount_cu", "0", "from", "key")));
        node.pipeline().kill(Actor.operator(), "move test");
        try {
            assertEquals("kill_switch", refused(earner, "move_funds", Map.of("amount_cu", "0.1", "from", "key")));
        } finally {
            node.pipeline().release(Actor.operator(), "move test over");
        }
        assertEquals(own + earned, balance(provider.account), "no refused move changed the key account");
        assertEquals(0, balance(earner.id()));
        assertEquals(thiefOwn, balance(thief.id()));

        // The earnings come back over REST (the same tool) and pay for an order: one MOVE transfer each way.
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> moved = http.send(HttpRequest.newBuilder(base.resolve("/v1/forge/move_funds"))
                .header("Authorization", "Bearer " + earner.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount_cu\":\"" + Cu.format(earned) + "\",\"from\":\"key\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, moved.statusCode(), moved.body());
        assertEquals(Map.of("moved_cu", Cu.format(earned), "account_cu", Cu.format(earned), "key_cu", Cu.format(own)),
                JSON.readValue(moved.body(), MAP));
        var moves = new ArrayList<dev.forge.economy.ledger.Transfer>();
        for (long t = node.ledger().transferCount(); t > 0 && moves.size() < 2; t--) {
            var transfer = node.ledger().findTransfer(t).orElseThrow();
            boolean earners = transfer.debitAccount().equals(earner.id()) || transfer.creditAccount().equals(earner.id());
            if (transfer.code() == TransferCode.MOVE && earners) moves.add(transfer);
        }
        assertEquals(List.of(provider.account, earner.id()), moves.stream().map(dev.forge.economy.ledger.Transfer::debitAccount).toList());
        assertEquals(List.of(earned, own), moves.stream().map(dev.forge.economy.ledger.Transfer::amount).toList());
        assertEquals("open", ok(earner, "submit_order", chatOrder("0.2", "0.01", 600)).get("state"), "the earnings pay for an order");
        assertEquals(earned - 210_000, available(earner.id()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSelfSignedOrderPassesTheSafetyPipelineChargedToTheAgentAndHeldOnItsKey() throws Exception {
        Agent sam = agent("wo-sam");
        provider(agent("wo-sol"));
        var key = Ed25519.generate();
        String account = (String) register(sam, key, "").get("account");
        ok(sam, "move_funds", Map.of("amount_cu", "10", "from", "account"));
        byte[] input = ChatRequest.chat(MODEL, List.of(new ChatRequest.Message(ChatRequest.Role.USER, "Once upon a time")),
                new Replay(16, 0, 7, List.of())).bytes();
        Map<String, Object> submit = selfSigned(key, account, input);
        long keyBefore = available(account);
        long ownBefore = available(sam.id());

        node.pipeline().setPolicy(Actor.operator(), sam.id(), new BudgetPolicy(1, 200_000_000, 1_000_000_000, 1_000_000_000));
        String chatCode = refused(sam, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 8));
        assertEquals("budget_request", chatCode);
        assertEquals(chatCode, refused(sam, "submit_order", submit), "refused as a chat is");
        assertEquals(keyBefore, available(account), "a refused order holds nothing");
        assertEquals(10_000_000, balance(account));
        assertEquals(ownBefore, available(sam.id()));

        node.pipeline().setPolicy(Actor.operator(), sam.id(), new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 1_000));
        McpSchema.CallToolResult held = sam.mcp().callTool(new McpSchema.CallToolRequest("submit_order", submit));
        var body = (Map<String, Object>) held.structuredContent();
        assertEquals("approval_required", body.get("error"), body.toString());
        assertEquals("1.100000", body.get("amount_cu"));
        assertEquals(keyBefore - 1_100_000, available(account), "while it waits, the key's account holds it");
        assertEquals(ownBefore, available(sam.id()), "and not the agent's own");
        var approval = node.pipeline().pendingApprovals().stream().filter(a -> a.id().equals(body.get("approval_id")))
                .findFirst().orElseThrow();
        assertEquals(sam.id(), approval.request().agent(), "the operator approves a spend of the agent that owns the key");
        node.pipeline().approve(Actor.operator(), approval.id(), "fine");

        Map<String, Object> again = new LinkedHashMap<>(submit);
        again.put("approval_id", approval.id());
        Map<String, Object> accepted = ok(sam, "submit_order", again);
        assertEquals("open", accepted.get("state"));
        assertEquals(keyBefore - 1_100_000, available(account), "only the order's hold remains, on the key's account");
        assertEquals(ownBefore, available(sam.id()));
        assertEquals(orderId(accepted), orderId(ok(sam, "submit_order", submit)), "the same order again is the same order");
        assertEquals(keyBefore - 1_100_000, available(account), "and is not held twice");
        var safety = node.pipeline().status(Actor.operator(), sam.id());
        assertEquals(1_100_000, safety.spentLastHour(), "the agent's budget was charged the order's most, once");

        Map<String, Object> other = selfSigned(key, account, input);
        assertEquals("approval_mismatch", refused(sam, "submit_order", withApproval(other, approval.id())),
                "an approval covers only the order it was given for");
        assertEquals(keyBefore - 1_100_000, available(account));
    }

    private Map<String, Object> selfSigned(Ed25519.KeyPair key, String account, byte[] input) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        var signed = SignedWorkOrder.sign(order(account, input, new Replay(16, 0, 7, List.of()), nonce, node.work().audience()), key);
        return Map.of("order", TestProvider.base64(signed.encode()), "input", TestProvider.base64(input));
    }

    private static Map<String, Object> withApproval(Map<String, Object> arguments, String approvalId) {
        Map<String, Object> with = new LinkedHashMap<>(arguments);
        with.put("approval_id", approvalId);
        return with;
    }

    private static String proof(Ed25519.KeyPair key, String agent, String audience, String bodiesUrl) {
        return TestProvider.base64(dev.forge.economy.work.KeyProof.sign(key, agent, audience, bodiesUrl));
    }

    private static WorkOrder order(String buyer, byte[] input, Replay replay, byte[] nonce, String audience) {
        return new WorkOrder(buyer, "", WorkKind.INFERENCE_CHAT, MODEL, ModelDigest.of(TestModel.folder()), "", Sha256.hash(input),
                replay, 1_000_000, 100_000, nonce, audience, System.currentTimeMillis() + 600_000, WorkOrder.Signer.BUYER);
    }

    private long takenOrder(Agent buyer, Agent provider, int expiresInSeconds) {
        long id = orderId(ok(buyer, "submit_order", chatOrder("1", "0.25", expiresInSeconds)));
        listed(provider, id);
        ok(provider, "take_order", Map.of("order_id", id));
        return id;
    }

    private byte[] orderBytes(long id) {
        return node.ledger().order(id).orElseThrow().signed().encode();
    }
}
