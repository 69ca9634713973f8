package dev.forge.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.market.Cu;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The agent's only way to the node: its MCP tools, through LangChain4j's MCP client over
 * Streamable HTTP at {@code URL/mcp} with the agent's bearer token. An answer is the tool's JSON;
 * a tool error is a {@link Refusal} with the node's stable code; no answer at all is a
 * {@link Refusal} {@value Refusal#UNREACHABLE} (after one fresh session, for a restarted node).
 */
public final class NodeTools implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final URI node;
    private final String token;
    private McpClient client;

    public NodeTools(URI node, String token) {
        this.node = node;
        this.token = token;
    }

    public synchronized JsonNode call(String tool, Map<String, Object> arguments) {
        String json;
        try {
            json = JSON.writeValueAsString(arguments);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("arguments are not JSON", e);
        }
        try {
            return once(tool, json);
        } catch (Refusal r) {
            throw r;
        } catch (RuntimeException first) {
            closeClient(); // an expired session or a restarted node: one fresh session, then give up
            try {
                return once(tool, json);
            } catch (Refusal r) {
                throw r;
            } catch (RuntimeException e) {
                closeClient();
                throw new Refusal(Refusal.UNREACHABLE, "the node at " + node + " did not answer " + tool + ": " + e.getMessage(), "");
            }
        }
    }

    private JsonNode once(String tool, String arguments) {
        var request = ToolExecutionRequest.builder().name(tool).arguments(arguments).build();
        try {
            var result = client().executeTool(request);
            JsonNode body = parse(result.resultText());
            if (result.isError()) throw refusal(body);
            return body;
        } catch (ToolExecutionException e) {
            throw refusal(parse(e.getMessage()));
        }
    }

    private static Refusal refusal(JsonNode body) {
        return new Refusal(body.path("error").asText("tool_error"), body.path("message").asText(body.toString()),
                body.path("approval_id").asText(""), held(body));
    }

    /** The amount an approval would cover; 0 when the answer has none we can read. */
    private static long held(JsonNode body) {
        try {
            return body.hasNonNull("approval_id") ? Cu.parse(body.path("amount_cu").asText("0")) : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text == null ? "{}" : text);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode().put("error", "tool_error").put("message", "the node's answer is not JSON: " + text);
        }
    }

    private McpClient client() {
        if (client == null) {
            var transport = StreamableHttpMcpTransport.builder().url(node.resolve("/mcp").toString()).setHttpVersion1_1()
                    .customHeaders(Map.of("Authorization", "Bearer " + token)).timeout(TIMEOUT).build();
            client = DefaultMcpClient.builder().transport(transport).clientName("forge-agent").toolExecutionTimeout(TIMEOUT).build();
        }
        return client;
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                // The session is being abandoned; a failed goodbye changes nothing.
            }
            client = null;
        }
    }

    @Override
    public synchronized void close() {
        closeClient();
    }
}
