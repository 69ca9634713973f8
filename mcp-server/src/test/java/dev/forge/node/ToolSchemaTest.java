package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.forge.economy.lending.LendingConfig;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Every tool called with real arguments on a real node (the official MCP client over HTTP), and
 * every answer checked against the outputSchema the tool declares in {@code tools/list}; a
 * refusal is checked against the one body every refusal has.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class ToolSchemaTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "stories260K";
    static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** {@code Refused.body()}: the code and the sentence, and for a held spend the approval and its amount. */
    static final String REFUSAL = """
            {"type": "object", "required": ["error", "message"], "additionalProperties": false,
             "properties": {"error": {"type": "string", "pattern": "^[a-z_]+$"}, "message": {"type": "string", "minLength": 1},
                            "approval_id": {"type": "string"}, "amount_cu": {"type": "string"}}}""";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    final Map<String, Schema> outputs = new HashMap<>();
    final Set<String> checked = new TreeSet<>();

    @Test
    void everyToolsRealAnswersMatchItsDeclaredOutputSchema() throws Exception {
        String lenderToken = node.createAgent("schema-lender");
        String borrowerToken = node.createAgent("schema-borrower");
        McpSyncClient operator = client(Identities.operatorToken(Path.of(ConfigProvider.getConfig().getValue("forge.data", String.class))));
        McpSyncClient lender = client(lenderToken);
        McpSyncClient borrower = client(borrowerToken);
        try {
            for (McpSchema.Tool tool : lender.listTools().tools()) {
                assertTrue(tool.outputSchema() != null, tool.name() + " declares no outputSchema");
                outputs.put(tool.name(), SCHEMAS.getSchema(JSON.valueToTree(tool.outputSchema())));
            }
            answer(lender, "balance", Map.of());
            answer(operator, "balance", Map.of("account", "schema-lender"));
            answer(lender, "pricing", Map.of("model", MODEL, "prompt_tokens", 5, "max_tokens", 40));
            answer(lender, "providers", Map.of("model", MODEL));
            answer(lender, "route", Map.of("model", MODEL, "max_tokens", 100, "mode", "cost"));
            JsonNode chat = answer(lender, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 8));
            answer(lender, "chat", Map.of("model", MODEL, "messages", java.util.List.of(Map.of("role", "user", "content", "Hi")),
                    "max_tokens", 4, "temperature", 0.5, "seed", 7));
            answer(lender, "trades", Map.of("limit", 5));
            answer(lender, "network", Map.of("trade_id", chat.get("trade_id").asLong()));
            answer(operator, "offer", Map.of("model", MODEL, "tokens_per_minute", 6000));
            answer(lender, "lend", Map.of("amount_cu", "20"));
            answer(lender, "withdraw", Map.of("amount_cu", "5"));
            answer(lender, "pool", Map.of());
            answer(lender, "credit", Map.of());
            earnCredit("schema-borrower");
            JsonNode loan = answer(borrower, "borrow", Map.of("amount_cu", "2", "term_days", 3, "collateral_cu", "3"));
            answer(borrower, "loans", Map.of());
            answer(operator, "loans", Map.of());
            JsonNode repaid = answer(borrower, "repay", Map.of("loan_id", loan.get("loan_id").asText()));
            assertTrue(repaid.has("paid_cu"), repaid.toString());
            answer(lender, "safety", Map.of());
            answer(operator, "safety", Map.of());
            workTools(lender, borrower);
            answer(lender, "kill", Map.of("reason", "schema test"));
            node.pipeline().release(Actor.operator(), "schema test over");
            assertEquals(outputs.keySet(), checked, "every tool was called and its answer checked");

            refusal(lender, "offer", Map.of("model", MODEL), "key_not_registered");
            refusal(lender, "balance", Map.of("account", "someone-else"), "unauthorized");
            refusal(lender, "lend", Map.of("amount_cu", "12.1234567"), "invalid_argument");
            refusal(lender, "trades", Map.of("limit", 5, "colour", "red"), "invalid_argument");
        } finally {
            node.pipeline().release(Actor.operator(), "schema test over");
            operator.closeGracefully();
            lender.closeGracefully();
            borrower.closeGracefully();
        }
    }

    /** The work-order tools: a key, an agent's offer, a chat order, taken and delivered with a real attestation. */
    void workTools(McpSyncClient buyer, McpSyncClient seller) {
        var provider = new dev.forge.node.work.TestProvider();
        String url = "http://127.0.0.1:9/bodies";
        provider.account = answer(seller, "register_key", Map.of("public_key", provider.publicKeyBase64(), "bodies_url", url,
                "proof", provider.proofBase64("schema-borrower", node.work().audience(), url))).get("account").asText();
        String digest = java.util.HexFormat.of().formatHex(dev.forge.economy.work.ModelDigest.of(TestModel.folder()));
        answer(seller, "offer", Map.of("model", MODEL, "model_digest", digest, "tier", "tiny", "price_per_1k_cu", "2",
                "kinds", java.util.List.of("inference.chat.v1", "eval.v1")));
        long id = answer(buyer, "submit_order", Map.of("model", MODEL, "provider", provider.account, "messages",
                java.util.List.of(Map.of("role", "user", "content", "Once upon a time")), "max_tokens", 16, "max_cost_cu", "1",
                "expires_in_seconds", 600)).get("order_id").asLong();
        JsonNode open = answer(seller, "open_orders", Map.of("model_digest", digest, "limit", 50));
        String order = java.util.stream.StreamSupport.stream(open.get("orders").spliterator(), false)
                .filter(o -> o.get("order_id").asLong() == id).findFirst().orElseThrow().get("order").asText();
        answer(seller, "take_order", Map.of("order_id", id));
        String output = "Once upon a time there was a schema.";
        var attestation = provider.sign(provider.attest(java.util.Base64.getDecoder().decode(order), output, 5, 11, 2_000_000));
        answer(seller, "deliver", Map.of("order_id", id, "attestation", dev.forge.node.work.TestProvider.base64(attestation.encode()),
                "output", dev.forge.node.work.TestProvider.base64(output)));
        assertEquals("settled", answer(buyer, "order_status", Map.of("order_id", id)).get("state").asText());
        assertEquals("0.010000", answer(seller, "move_funds", Map.of("amount_cu", "0.01", "from", "key")).get("moved_cu").asText());
        assertEquals(provider.account, answer(seller, "balance", Map.of()).get("key_account").asText());
        answer(buyer, "verify", Map.of("provider", provider.account));
        answer(buyer, "submit_eval", Map.of("model", MODEL, "provider", provider.account, "prompts",
                java.util.List.of(Map.of("prompt", "Once upon a time", "expected", "girl")), "max_tokens_per_prompt", 8,
                "max_cost_cu", "1", "expires_in_seconds", 600));
    }

    JsonNode answer(McpSyncClient client, String tool, Map<String, Object> arguments) {
        var result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        JsonNode content = JSON.valueToTree(result.structuredContent());
        assertFalse(Boolean.TRUE.equals(result.isError()), tool + " refused: " + content);
        var errors = outputs.get(tool).validate(content);
        assertTrue(errors.isEmpty(), tool + "'s answer " + content + " does not match its outputSchema: " + errors);
        assertEquals(content, text(result), tool + ": the text is the same JSON as the structured content");
        checked.add(tool);
        return content;
    }

    void refusal(McpSyncClient client, String tool, Map<String, Object> arguments, String code) {
        var result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        JsonNode content = JSON.valueToTree(result.structuredContent());
        assertTrue(Boolean.TRUE.equals(result.isError()), tool + " answered " + content);
        var errors = refusalSchema().validate(content);
        assertTrue(errors.isEmpty(), tool + "'s refusal " + content + " is not a refusal body: " + errors);
        assertEquals(code, content.get("error").asText(), content.toString());
        assertEquals(content, text(result));
    }

    static Schema refusalSchema() {
        try {
            return SCHEMAS.getSchema(JSON.readTree(REFUSAL));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode text(McpSchema.CallToolResult result) {
        try {
            return JSON.readTree(((McpSchema.TextContent) result.content().getFirst()).text());
        } catch (Exception e) {
            throw new AssertionError("the text content is not JSON", e);
        }
    }

    /** Credit enough to borrow comes with CU traded: a few real chats, below the approval threshold. */
    void earnCredit(String agent) {
        var policy = node.pipeline().policyFor(Actor.operator(), agent);
        node.pipeline().setPolicy(Actor.operator(), agent, new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 50_000_000));
        for (int i = 0; i < 200 && node.lending().credit(agent).score() < LendingConfig.DEFAULT.minCreditScore(); i++) {
            node.chats().chat(Actor.agent(agent), MODEL, dev.forge.inference.GenerationRequest.greedy("Once upon a time", 200),
                    null, null, ChatService.Listener.NONE);
        }
        assertTrue(node.lending().credit(agent).score() >= LendingConfig.DEFAULT.minCreditScore(), "could not earn credit");
        node.pipeline().setPolicy(Actor.operator(), agent, policy);
    }

    McpSyncClient client(String token) {
        var transport = HttpClientStreamableHttpTransport.builder(base.toString()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .customizeClient(c -> c.version(java.net.http.HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }
}
