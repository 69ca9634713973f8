package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** What the tests that drive a node process from outside share: an MCP client per token, agents, answered calls. */
final class NodeClients {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private NodeClients() {
    }

    /** An initialized MCP SDK client over Streamable HTTP, acting with {@code token}. */
    static McpSyncClient mcp(URI node, String token, String clientName) {
        var transport = HttpClientStreamableHttpTransport.builder(node.toString()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON)).customizeClient(c -> c.version(HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        var client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2))
                .clientInfo(new McpSchema.Implementation(clientName, "1")).build();
        client.initialize();
        return client;
    }

    /** A tool's structured answer; a refusal fails the test with its body. */
    static JsonNode answer(McpSyncClient client, String tool, Map<String, Object> args) {
        var result = client.callTool(new McpSchema.CallToolRequest(tool, args));
        JsonNode body = JSON.valueToTree(result.structuredContent());
        assertTrue(!Boolean.TRUE.equals(result.isError()), tool + " refused: " + body);
        return body;
    }

    /** A new agent created by the operator over REST; its token. */
    static String createAgent(URI node, String operatorToken, String id) throws Exception {
        var request = HttpRequest.newBuilder(node.resolve("/v1/forge/accounts")).header("Authorization", "Bearer " + operatorToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("id", id))))
                .build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("token").asText();
    }
}
