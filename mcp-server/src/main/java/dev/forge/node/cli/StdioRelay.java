package dev.forge.node.cli;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code forge mcp}: an MCP server on stdio (what Claude Code and Cursor start, one per session)
 * that serves the tools of the node that owns the ledger, through an MCP client session with
 * that node. Calls, progress notifications and elicitations pass through in both directions;
 * the node decides everything, so any number of these share one ledger. stdout carries
 * JSON-RPC only: the SDK's stdio transport writes it, and every log goes to stderr.
 */
final class StdioRelay {
    private final URI node;
    private final String token;
    private final Map<Object, McpSyncServerExchange> callsByProgressToken = new ConcurrentHashMap<>();
    private final AtomicReference<McpSyncServerExchange> lastExchange = new AtomicReference<>();

    StdioRelay(URI node, String token) {
        this.node = node;
        this.token = token;
    }

    void run() {
        var mapper = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
        McpSyncClient upstream = McpClient.sync(McpCall.transport(node, token, mapper))
                .clientInfo(new McpSchema.Implementation("forge-mcp", "0.1.0"))
                .requestTimeout(Duration.ofMinutes(10))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(this::askClient)
                .progressConsumer(this::forwardProgress)
                .build();
        var initialized = upstream.initialize();
        var tools = upstream.listTools().tools().stream().map(tool -> McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool).callHandler((exchange, request) -> relay(upstream, exchange, request)).build()).toList();
        var prompts = upstream.listPrompts().prompts().stream().map(prompt -> new McpServerFeatures.SyncPromptSpecification(
                prompt, (exchange, request) -> upstream.getPrompt(request))).toList();
        var resources = upstream.listResources().resources().stream().map(resource ->
                new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) -> upstream.readResource(request))).toList();
        McpServer.sync(new StdioServerTransportProvider(mapper))
                .serverInfo("forge", "0.1.0")
                .instructions(initialized.instructions())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).prompts(false).resources(false, false).build())
                .validateToolInputs(false)
                .tools(tools)
                .prompts(prompts)
                .resources(resources)
                .build();
        // The SDK's stdio transport reads on its own threads and exits the process when stdin closes.
    }

    private McpSchema.CallToolResult relay(McpSyncClient upstream, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        lastExchange.set(exchange);
        Object progressToken = request.meta() == null ? null : request.meta().get("progressToken");
        if (progressToken != null) callsByProgressToken.put(progressToken, exchange);
        try {
            return upstream.callTool(request);
        } catch (RuntimeException e) {
            return McpSchema.CallToolResult.builder().isError(true)
                    .addTextContent("{\"error\":\"node_unreachable\",\"message\":\"the node at " + node + " did not answer: "
                            + String.valueOf(e.getMessage()).replace('"', '\'') + "\"}").build();
        } finally {
            if (progressToken != null) callsByProgressToken.remove(progressToken);
        }
    }

    private void forwardProgress(McpSchema.ProgressNotification progress) {
        McpSyncServerExchange exchange = callsByProgressToken.get(progress.progressToken());
        if (exchange != null) exchange.progressNotification(progress);
    }

    /** The node asks a human (a spend needs approval): ask this session's client; if it cannot be asked, nobody answered. */
    private McpSchema.ElicitResult askClient(McpSchema.ElicitFormRequest request) {
        McpSyncServerExchange exchange = lastExchange.get();
        if (exchange == null || exchange.getClientCapabilities() == null || exchange.getClientCapabilities().elicitation() == null) {
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null);
        }
        return exchange.createElicitation(request);
    }
}
