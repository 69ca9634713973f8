package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.market.Cu;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.service.tool.ToolExecutionResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A real node over Streamable HTTP, driven by the LangChain4j MCP client. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class McpHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "stories260K";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/mcp")
    public URI mcp;

    public McpClient client(String token, List<Object> progress) {
        var transport = StreamableHttpMcpTransport.builder().url(mcp.toString()).setHttpVersion1_1()
                .customHeaders(Map.of("Authorization", "Bearer " + token)).timeout(Duration.ofSeconds(60)).build();
        return DefaultMcpClient.builder().transport(transport).clientName("forge-test")
                .progressHandler(progress::add).toolExecutionTimeout(Duration.ofSeconds(60)).build();
    }

    /** The tool's structured answer; a tool error (LangChain4j throws it) as its JSON body plus "isError". */
    static JsonNode call(McpClient client, String tool, String arguments) throws Exception {
        try {
            ToolExecutionResult result = client.executeTool(ToolExecutionRequest.builder().name(tool).arguments(arguments).build());
            return JSON.readTree(result.resultText());
        } catch (ToolExecutionException e) {
            var body = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(e.getMessage());
            return body.put("isError", true);
        }
    }

    synchronized String agent(String id) {
        return node.ledger().account(id).isPresent() ? tokens.get(id) : register(id);
    }

    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    private String register(String id) {
        String token = node.createAgent(id);
        tokens.put(id, token);
        return token;
    }

    @Test
    void everyToolIsListedWithItsSchema() throws Exception {
        try (McpClient client = client(agent("lister"), new ArrayList<>())) {
            Set<String> names = client.listTools().stream().map(ToolSpecification::name).collect(Collectors.toSet());
            assertEquals(Set.of("balance", "pricing", "chat", "route", "borrow", "repay", "kill", "trades", "network",
                    "providers", "offer", "lend", "withdraw", "credit", "pool", "loans", "safety", "register_key", "submit_order",
                    "open_orders", "take_order", "deliver", "order_status", "verify", "move_funds"), names);
            ToolSpecification chat = client.listTools().stream().filter(t -> t.name().equals("chat")).findFirst().orElseThrow();
            assertTrue(chat.description().contains("held first"), chat.description());
            assertTrue(chat.parameters().required().contains("model"));
        }
    }

    @Test
    void aChatCostsExactlyWhatItsTokensSayAndIsATradeSignedByBoth() throws Exception {
        List<Object> progress = new CopyOnWriteArrayList<>();
        try (McpClient client = client(agent("alice"), progress)) {
            JsonNode before = call(client, "balance", "{}");
            assertEquals("1000.000000", before.get("balance_cu").asText());
            JsonNode chat = call(client, "chat", "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":24}");
            assertFalse(chat.has("isError"), chat.toString());
            assertTrue(chat.get("text").asText().startsWith(", there was a little girl named Lily."), chat.toString());
            long price = Cu.parse(chat.get("price_per_1k_cu").asText());
            long tokens = chat.get("prompt_tokens").asLong() + chat.get("completion_tokens").asLong();
            assertEquals(24, chat.get("completion_tokens").asInt());
            assertEquals(Cu.format(Cu.cost(tokens, price)), chat.get("cost_cu").asText(), "tokens × price, rounded up to a µCU");
            long cost = Cu.cost(tokens, price);
            assertEquals(Cu.format(1_000_000_000L - cost), chat.get("balance_cu").asText());
            var trade = node.ledger().trade(chat.get("trade_id").asLong()).orElseThrow();
            trade.signed().verify(node.ledger().account("alice").orElseThrow().publicKey(),
                    node.ledger().account(ForgeNode.PROVIDER).orElseThrow().publicKey());
            assertEquals(cost, trade.amount());
            assertEquals(1, node.market().reputation(ForgeNode.PROVIDER).trades() >= 1 ? 1 : 0, "the market saw it");
            assertFalse(progress.isEmpty(), "progress notifications while it generated");
        }
    }

    @Test
    void afterAKillNoSpendSucceedsAndAnAgentCannotReleaseIt() throws Exception {
        try (McpClient client = client(agent("bob"), new ArrayList<>())) {
            JsonNode killed = call(client, "kill", "{\"reason\":\"test: runaway agent\"}");
            assertTrue(killed.get("active").asBoolean());
            long trades = node.ledger().tradeCount();
            JsonNode refused = call(client, "chat", "{\"model\":\"" + MODEL + "\",\"prompt\":\"Hello\",\"max_tokens\":5}");
            assertEquals("kill_switch", refused.get("error").asText(), refused.toString());
            assertEquals(trades, node.ledger().tradeCount());
            var release = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> node.pipeline().release(Actor.agent("bob"), "let me spend"));
            assertTrue(release.getMessage().contains("operator"), release.getMessage());
            assertTrue(node.pipeline().killState().active());
        } finally {
            node.pipeline().release(Actor.operator(), "test over");
        }
    }

    @Test
    void badInputGetsAClearErrorAndChangesNothing() throws Exception {
        try (McpClient client = client(agent("carol"), new ArrayList<>())) {
            long transfers = node.ledger().transferCount();
            assertEquals("invalid_argument", call(client, "chat", "{\"model\":\"" + MODEL + "\"}").get("error").asText());
            assertEquals("invalid_argument", call(client, "chat",
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"hi\",\"max_tokens\":-3}").get("error").asText());
            assertEquals("invalid_argument", call(client, "chat",
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"hi\",\"colour\":\"red\"}").get("error").asText());
            assertEquals("prompt_too_long", call(client, "chat",
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"hi\",\"max_tokens\":32000}").get("error").asText());
            assertEquals("unknown_model", call(client, "chat", "{\"model\":\"gpt-17\",\"prompt\":\"hi\"}").get("error").asText());
            assertEquals("unauthorized", call(client, "balance", "{\"account\":\"alice\"}").get("error").asText());
            assertEquals(transfers, node.ledger().transferCount(), "no refusal moved money");
            assertEquals("1000.000000", call(client, "balance", "{}").get("balance_cu").asText());
        }
    }

    @Test
    void aMissingOrWrongTokenIsRefusedBeforeMcp() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        for (String header : new String[] {null, "Bearer forge_ag_not-a-real-token"}) {
            var request = HttpRequest.newBuilder(mcp).POST(HttpRequest.BodyPublishers.ofString(init))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
            if (header != null) request.header("Authorization", header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode());
            assertTrue(response.body().contains("unauthorized"), response.body());
        }
    }

    @Test
    void concurrentChatsFromTwoAgentsNeverOverspend() throws Exception {
        long limit = 150_000; // 0.15 CU an hour each: room for a few chats, not for ten
        for (String id : List.of("dave", "erin")) {
            agent(id);
            node.pipeline().setPolicy(Actor.operator(), id, new BudgetPolicy(limit, limit, 1_000_000_000L, limit));
        }
        ExecutorService threads = Executors.newFixedThreadPool(20);
        List<Future<JsonNode>> results = new ArrayList<>();
        List<McpClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                McpClient client = client(agent(i % 2 == 0 ? "dave" : "erin"), new ArrayList<>());
                clients.add(client);
                results.add(threads.submit(() -> call(client, "chat",
                        "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":40}")));
            }
            int ok = 0;
            for (Future<JsonNode> r : results) {
                JsonNode body = r.get();
                if (body.has("isError")) assertTrue(Set.of("budget_hour", "budget_request", "queue_full")
                        .contains(body.get("error").asText()), body.toString());
                else ok++;
            }
            assertTrue(ok > 0, "some chats ran");
            for (String id : List.of("dave", "erin")) {
                long spent = 1_000_000_000L - node.ledger().account(id).orElseThrow().balance();
                assertTrue(spent <= limit, id + " spent " + spent + " over a limit of " + limit);
            }
            assertTrue(node.ledger().invariants().hold());
        } finally {
            threads.shutdown();
            for (McpClient c : clients) c.close();
        }
    }

    @Test
    void promptsAndResourcesCarryTheAgentsLiveNumbers() throws Exception {
        try (McpClient client = client(agent("pia"), new ArrayList<>())) {
            assertEquals(Set.of("plan_within_budget", "explain_refusal"),
                    client.listPrompts().stream().map(p -> p.name()).collect(Collectors.toSet()));
            String plan = client.getPrompt("plan_within_budget", Map.of("task", "write a story")).messages().getFirst()
                    .toChatMessage().toString();
            assertTrue(plan.contains("write a story") && plan.contains("1000.000000") && plan.contains("50.000000"), plan);
            String why = client.getPrompt("explain_refusal", Map.of("code", "budget_hour")).messages().getFirst()
                    .toChatMessage().toString();
            assertTrue(why.contains("rolling hour"), why);

            assertEquals(Set.of("forge://statement", "forge://policy", "forge://network/root"),
                    client.listResources().stream().map(r -> r.uri()).collect(Collectors.toSet()));
            call(client, "chat", "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":5}");
            var statement = (dev.langchain4j.mcp.client.McpTextResourceContents) client.readResource("forge://statement")
                    .contents().getFirst();
            JsonNode s = JSON.readTree(statement.text());
            assertEquals("pia", s.get("account").asText());
            assertEquals(1, s.get("trades").size());
            assertEquals(s.get("closing_cu").asText(), call(client, "balance", "{}").get("balance_cu").asText());
            var root = (dev.langchain4j.mcp.client.McpTextResourceContents) client.readResource("forge://network/root")
                    .contents().getFirst();
            assertTrue(JSON.readTree(root.text()).get("trade_count").asLong() >= 1);
        }
    }
}
