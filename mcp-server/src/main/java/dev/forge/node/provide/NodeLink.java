package dev.forge.node.provide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The provider's only way to the node: MCP over Streamable HTTP at {@code URL/mcp}, with the
 * agent's bearer token on every request. A tool error becomes a {@link ProviderException} with
 * the node's stable code; a session the node dropped is opened again once.
 */
public final class NodeLink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI node;
    private final String token;
    private McpSyncClient client;

    public NodeLink(URI node, String token) {
        this.node = node;
        this.token = token;
    }

    /** The tool's structured answer, or the node's refusal as a {@link ProviderException}. */
    public synchronized JsonNode call(String tool, Map<String, Object> arguments) {
        try {
            return answer(client().callTool(new McpSchema.CallToolRequest(tool, arguments)));
        } catch (ProviderException e) {
            throw e;
        } catch (RuntimeException first) {
            closeClient(); // an expired session or a restarted node: one fresh session, then give up
            if (unauthorized(first)) throw refusedToken(first);
            try {
                return answer(client().callTool(new McpSchema.CallToolRequest(tool, arguments)));
            } catch (ProviderException e) {
                throw e;
            } catch (RuntimeException e) {
                closeClient();
                if (unauthorized(e)) throw refusedToken(e);
                throw new ProviderException("node_unreachable", "the node at " + node + " did not answer " + tool + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The node answered 401 or 403: the token is wrong or revoked, and asking again will not help. */
    private static boolean unauthorized(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpHttpClientTransportAuthorizationException) return true;
        }
        return false;
    }

    private ProviderException refusedToken(RuntimeException e) {
        return new ProviderException("unauthorized", "the node at " + node + " does not accept this token (check --token-file)", e);
    }

    private static JsonNode answer(McpSchema.CallToolResult result) {
        JsonNode body = result.structuredContent() != null ? JSON.valueToTree(result.structuredContent()) : text(result);
        if (Boolean.TRUE.equals(result.isError())) {
            throw new ProviderException(body.path("error").asText("tool_error"), body.path("message").asText(body.toString()));
        }
        return body;
    }

    private static JsonNode text(McpSchema.CallToolResult result) {
        try {
            return JSON.readTree(((McpSchema.TextContent) result.content().getFirst()).text());
        } catch (Exception e) {
            return JSON.createObjectNode().put("error", "tool_error").put("message", "the node's answer is not JSON");
        }
    }

    private McpSyncClient client() {
        if (client == null) {
            var transport = HttpClientStreamableHttpTransport.builder(node.toString()).endpoint("/mcp")
                    .jsonMapper(new JacksonMcpJsonMapper(JSON))
                    .customizeClient(c -> c.version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)))
                    .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                    .build();
            var fresh = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2))
                    .clientInfo(new McpSchema.Implementation("forge-provide", "0.1.0")).build();
            try {
                fresh.initialize();
            } catch (RuntimeException e) {
                fresh.close();
                throw e;
            }
            client = fresh;
        }
        return client;
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.closeGracefully();
            } catch (RuntimeException e) {
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
