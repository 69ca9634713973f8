package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The same refusal over MCP (the MCP SDK's own client, which sees structured content) and over
 * REST: the same code, sentence and fields; over MCP a tool error with the body as structured
 * content and as text.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class RefusalSurfacesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    McpSyncClient mcp(String token) {
        var transport = HttpClientStreamableHttpTransport.builder(base.toString()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .customizeClient(c -> c.version(HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    /** The tool error's structured content, after checking it is a tool error whose text says the same. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> overMcp(McpSyncClient client, String tool, Map<String, Object> arguments) throws Exception {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        assertEquals(Boolean.TRUE, result.isError(), tool + " " + arguments + ": " + result);
        Map<String, Object> structured = assertInstanceOf(Map.class, result.structuredContent(), "structured content: " + result);
        assertInstanceOf(String.class, structured.get("error"), structured.toString());
        assertInstanceOf(String.class, structured.get("message"), structured.toString());
        String text = ((McpSchema.TextContent) result.content().getFirst()).text();
        assertEquals(structured, JSON.readValue(text, MAP), "the text copy is the structured content");
        return structured;
    }

    record Rest(int status, Map<String, Object> body) {
    }

    Rest overRest(String token, String call, Map<String, Object> arguments, boolean post) throws Exception {
        String query = arguments.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(base.resolve("/v1/forge/" + call + (post || query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", "Bearer " + token);
        if (post) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(arguments)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Rest(response.statusCode(), JSON.readValue(response.body(), MAP));
    }

    @Test
    void everySurfaceRefusesWithTheSameCodeSentenceAndFields() throws Exception {
        String token = node.createAgent("rhea");
        McpSyncClient client = mcp(token);
        try {
            // tool, arguments, whether REST posts them, the code, the HTTP status
            record Case(String tool, Map<String, Object> arguments, boolean post, String code, int status) {
            }
            var cases = new Case[] {
                new Case("lend", Map.of("amount_cu", "ten"), true, "invalid_argument", 400), // refused by the schema
                new Case("lend", Map.of("amount_cu", "1", "colour", "red"), true, "invalid_argument", 400),
                new Case("withdraw", Map.of("amount_cu", "11"), true, "not_lent_out", 400), // MarketException
                new Case("balance", Map.of("account", "treasury"), false, "unauthorized", 403), // PolicyException
                new Case("lend", Map.of("amount_cu", "60"), true, "budget_request", 409),
                new Case("pricing", Map.of("model", "no-such-model"), false, null, 0),
            };
            for (Case c : cases) {
                Map<String, Object> viaMcp = overMcp(client, c.tool(), c.arguments());
                Rest viaRest = overRest(token, c.tool(), c.arguments(), c.post());
                String what = c.tool() + " " + c.arguments();
                assertEquals(viaMcp, viaRest.body(), what + ": the same body on both surfaces");
                if (c.code() != null) {
                    assertEquals(c.code(), viaMcp.get("error"), what);
                    assertEquals(c.status(), viaRest.status(), what);
                } else {
                    assertTrue(viaRest.status() >= 400 && viaRest.status() < 500, what + ": " + viaRest);
                }
            }
        } finally {
            client.closeGracefully();
        }
    }

    /** A spend above the threshold waits for the operator: both surfaces give the code, an approval id and the amount. */
    @Test
    void anApprovalRequiredCarriesItsIdAndAmountOnBothSurfaces() throws Exception {
        String token = node.createAgent("remy");
        McpSyncClient client = mcp(token);
        try {
            Map<String, Object> viaMcp = overMcp(client, "lend", Map.of("amount_cu", "30"));
            Rest viaRest = overRest(token, "lend", Map.of("amount_cu", "30"), true);
            assertEquals(409, viaRest.status(), viaRest.toString());
            for (Map<String, Object> body : java.util.List.of(viaMcp, viaRest.body())) {
                assertEquals("approval_required", body.get("error"), body.toString());
                assertEquals("30.000000", body.get("amount_cu"), body.toString());
                assertNotNull(node.pipeline().pendingApprovals().stream()
                        .filter(a -> a.id().equals(body.get("approval_id"))).findFirst().orElse(null), "a pending approval: " + body);
            }
            assertEquals(java.util.List.copyOf(viaMcp.keySet()), java.util.List.copyOf(viaRest.body().keySet()),
                    "the same fields in the same order");
            assertEquals(viaMcp.get("message").toString().replace((String) viaMcp.get("approval_id"), "ID"),
                    viaRest.body().get("message").toString().replace((String) viaRest.body().get("approval_id"), "ID"));
        } finally {
            client.closeGracefully();
        }
    }

    /** The chat tool and OpenAI's completions read a chat by the same rules: the same limits, roles and refusals. */
    @Test
    void theChatToolAndOpenAiRefuseTheSameChats() throws Exception {
        String token = node.createAgent("rory");
        McpSyncClient client = mcp(token);
        try {
            var cases = java.util.List.<Map<String, Object>>of(
                    Map.of("messages", java.util.List.of(Map.of("role", "robot", "content", "hi"))),
                    Map.of("messages", java.util.List.of(Map.of("role", "user"))),
                    Map.of("messages", java.util.List.of(Map.of("role", "user", "content", 5))),
                    Map.of("messages", java.util.List.of("hi")),
                    Map.of("messages", java.util.List.of(Map.of("role", "user", "content", "hi")), "max_tokens", 32_769),
                    Map.of("messages", java.util.List.of(Map.of("role", "user", "content", "hi")), "max_tokens", 0),
                    Map.of("messages", java.util.List.of(Map.of("role", "user", "content", "hi")), "temperature", 2.5));
            for (Map<String, Object> chat : cases) {
                Map<String, Object> arguments = new java.util.LinkedHashMap<>(chat);
                arguments.put("model", "stories260K");
                Map<String, Object> viaMcp = overMcp(client, "chat", arguments);
                HttpResponse<String> viaOpenAi = http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(arguments))).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(viaOpenAi.body()); // OpenAI's shape: {"error": {"message", "type", "param", "code"}}
                assertEquals(400, viaOpenAi.statusCode(), chat + ": " + viaOpenAi.body());
                assertEquals("invalid_argument", viaMcp.get("error"), chat + ": " + viaMcp);
                assertEquals(viaMcp.get("error"), body.path("error").path("code").asText(), chat + ": " + body);
                if (!chat.containsKey("max_tokens") && !chat.containsKey("temperature")) {
                    assertEquals(viaMcp.get("message"), body.path("error").path("message").asText(), chat + ": the same sentence");
                }
            }
            assertEquals(0, node.ledger().account("rory").orElseThrow().balance() - 1_000_000_000L, "nothing was spent");
        } finally {
            client.closeGracefully();
        }
    }
}
