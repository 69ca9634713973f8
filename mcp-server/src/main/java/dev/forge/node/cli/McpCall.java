package dev.forge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One MCP tool call to a node, as its own short client session (for CLI commands that act as an agent). */
final class McpCall {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI node;
    private final String token;

    McpCall(URI node, String token) {
        this.node = node;
        this.token = token;
    }

    /** Streamable HTTP to the node's {@code /mcp}, over HTTP/1.1, with the bearer token on every request. */
    static HttpClientStreamableHttpTransport transport(URI node, String token, McpJsonMapper mapper) {
        return HttpClientStreamableHttpTransport.builder(node.toString()).endpoint("/mcp").jsonMapper(mapper)
                .customizeClient(c -> c.version(java.net.http.HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
    }

    /** The tool's structured answer; a tool error becomes a {@link CliException} with its code and message. */
    JsonNode call(String tool, Map<String, Object> arguments) throws Exception {
        var client = McpClient.sync(transport(node, token, new JacksonMcpJsonMapper(JSON))).requestTimeout(Duration.ofMinutes(10))
                .clientInfo(new McpSchema.Implementation("forge-cli", "0.1.0")).build();
        try {
            client.initialize();
            var result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
            String text = ((McpSchema.TextContent) result.content().getFirst()).text();
            JsonNode body = JSON.readTree(text);
            if (Boolean.TRUE.equals(result.isError())) {
                throw new CliException(body.path("error").asText() + ": " + body.path("message").asText()
                        + (body.has("approval_id") ? " (approval id " + body.get("approval_id").asText() + ")" : ""));
            }
            return body;
        } catch (RuntimeException e) {
            if (e instanceof CliException) throw e;
            if (!new NodeClient(node, token).acceptsToken()) throw new CliException("unauthorized: the node at " + node
                    + " does not know this token (check --token-file or FORGE_TOKEN)");
            throw new CliException("the node at " + node + " did not answer: " + e.getMessage());
        } finally {
            client.closeGracefully();
        }
    }
}
