package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The protocol's edges over raw HTTP: foreign origins, malformed JSON-RPC, unknown tools, absurd amounts. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class McpProtocolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/mcp")
    URI mcp;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String token;
    String session;

    @BeforeEach
    void open() throws Exception {
        if (token == null) token = node.createAgent("raw" + System.nanoTime() % 1_000_000);
        HttpResponse<String> init = post(INIT, null, null);
        assertEquals(200, init.statusCode(), init.body());
        session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session, null);
    }

    HttpResponse<String> post(String body, String sessionId, String origin) throws Exception {
        var request = HttpRequest.newBuilder(mcp).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token).header("MCP-Protocol-Version", "2025-11-25");
        if (sessionId != null) request.header("Mcp-Session-Id", sessionId);
        if (origin != null) request.header("Origin", origin);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON-RPC answer, whether it came as JSON or as one SSE event. */
    static JsonNode answer(HttpResponse<String> response) throws Exception {
        String body = response.body().strip();
        if (body.startsWith("{")) return JSON.readTree(body);
        for (String line : body.split("\n")) if (line.startsWith("data:")) return JSON.readTree(line.substring(5).strip());
        throw new AssertionError("no JSON-RPC answer in " + body);
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        HttpResponse<String> refused = post(INIT, null, "http://evil.example");
        assertEquals(403, refused.statusCode(), refused.body());
        HttpResponse<String> local = post(INIT, null, "http://127.0.0.1:" + mcp.getPort());
        assertEquals(200, local.statusCode(), "the node's own origin is welcome");
    }

    @Test
    void malformedJsonRpcGetsAnErrorAndTheNodeServesOn() throws Exception {
        HttpResponse<String> garbage = post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":", session, null);
        assertNotEquals(200, garbage.statusCode(), garbage.body());
        assertTrue(garbage.statusCode() < 500, "a client error, not a crash: " + garbage.statusCode() + " " + garbage.body());
        JsonNode list = answer(post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\"}", session, null));
        assertEquals(26, list.path("result").path("tools").size(), list.toString());
    }

    @Test
    void anUnknownToolOrMethodIsAnError() throws Exception {
        JsonNode tool = answer(post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"steal\","
                + "\"arguments\":{}}}", session, null));
        assertTrue(tool.has("error") || tool.path("result").path("isError").asBoolean(), tool.toString());
        JsonNode method = answer(post("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"forge/teleport\"}", session, null));
        assertEquals(-32601, method.path("error").path("code").asInt(), method.toString());
    }

    @Test
    void absurdAmountsAreRefusedAndNothingMoves() throws Exception {
        long transfers = node.ledger().transferCount();
        for (String amount : new String[] {"\"-5\"", "\"0\"", "\"99999999999999999999\"", "\"1.0000001\"", "\"ten\"", "true"}) {
            JsonNode r = answer(post("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"name\":\"lend\","
                    + "\"arguments\":{\"amount_cu\":" + amount + "}}}", session, null));
            assertTrue(r.path("result").path("isError").asBoolean(), amount + ": " + r);
            String text = r.path("result").path("content").get(0).path("text").asText();
            assertEquals("invalid_argument", JSON.readTree(text).path("error").asText(), amount + ": " + text);
        }
        assertEquals(transfers, node.ledger().transferCount());
    }
}
