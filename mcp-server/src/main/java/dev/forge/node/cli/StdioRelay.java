package dev.forge.node.cli;

import dev.forge.node.mcp.Refused;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code forge mcp}: an MCP server on stdio (what Claude Code and Cursor start, one per session)
 * that serves the tools of the node that owns the ledger, through an MCP client session with
 * that node. Calls, progress notifications and elicitations pass through in both directions;
 * the node decides everything, so any number of these share one ledger. stdout carries
 * JSON-RPC only: the SDK's stdio transport writes it, and every log goes to stderr.
 *
 * <p>A refused token or an absent node is answered as an MCP error to the client's initialize.
 * When the node restarts, the next call opens a new session with it and is sent again: a call
 * that failed before reaching the node (refused connection, unknown or closed session) cannot have
 * spent. A call in flight when the node dies is also sent again; if the node had settled it in the
 * instant before dying, that spend happens twice (the node's ledger shows both trades).
 */
final class StdioRelay {
    private static final Duration NODE_RESTART_WAIT = Duration.ofSeconds(60);
    /** What the SDK's client session says once its transport to the node has closed. */
    private static final String SESSION_TERMINATED = "MCP session with server terminated";
    private final URI node;
    private final String token;
    private final JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
    private final Map<Object, McpSyncServerExchange> callsByProgressToken = new ConcurrentHashMap<>();
    private final AtomicReference<McpSyncServerExchange> lastExchange = new AtomicReference<>();
    private McpAsyncClient upstream;
    private McpSchema.InitializeResult initialized;

    StdioRelay(URI node, String token) {
        this.node = node;
        this.token = token;
    }

    /** Serves stdio until stdin closes; 1 if the node refused us (after telling the client why). */
    int run() {
        String refusal = refusal();
        if (refusal != null) {
            System.err.println("forge: " + refusal);
            StdioRefusal.answerInitialize(refusal);
            return 1;
        }
        var tools = withNode(McpAsyncClient::listTools).tools().stream().map(tool -> McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool).callHandler(this::relay).build()).toList();
        var prompts = withNode(McpAsyncClient::listPrompts).prompts().stream().map(prompt -> new McpServerFeatures.SyncPromptSpecification(
                prompt, (exchange, request) -> withNode(c -> c.getPrompt(request)))).toList();
        var resources = withNode(McpAsyncClient::listResources).resources().stream().map(resource ->
                new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) -> withNode(c -> c.readResource(request))))
                .toList();
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
        return 0;
    }

    /** Why the node will not serve us, or null: checked over REST so the answer is a plain status, not a transport trace. */
    private String refusal() {
        var client = new NodeClient(node, token);
        if (!client.answers()) return "no node answers at " + node + " (start one with ./forge node, or give --data)";
        if (!client.acceptsToken()) return "unauthorized: the node at " + node + " does not know this token (check --token-file or FORGE_TOKEN)";
        return null;
    }

    private McpSchema.CallToolResult relay(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        lastExchange.set(exchange);
        Object progressToken = request.meta() == null ? null : request.meta().get("progressToken");
        if (progressToken != null) callsByProgressToken.put(progressToken, exchange);
        try {
            return withNode(c -> c.callTool(request));
        } catch (RuntimeException e) {
            return unreachable(e);
        } finally {
            if (progressToken != null) callsByProgressToken.remove(progressToken);
        }
    }

    /** A tool error as the node's own refusals are: the code and message as structured content, and the same JSON as text. */
    private McpSchema.CallToolResult unreachable(RuntimeException e) {
        var body = new Refused("node_unreachable", "the node at " + node + " did not answer: " + e.getMessage(), Map.of(), 503).body();
        String text;
        try {
            text = mapper.writeValueAsString(body);
        } catch (java.io.IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return McpSchema.CallToolResult.builder().isError(true).structuredContent(body).addTextContent(text).build();
    }

    /** One request to the node; if the node never saw it (restarted or down), a new session and one more try. */
    private <T> T withNode(Function<McpAsyncClient, Mono<T>> request) {
        try {
            return request.apply(session()).block();
        } catch (RuntimeException e) {
            if (!neverReachedTheNode(e)) throw e;
            dropSession();
            awaitNode();
            return request.apply(session()).block();
        }
    }

    /**
     * The session with the node. Asynchronous so that a progress notification is forwarded on the
     * thread that reads it, before the node's next message (the answer) is read: the SDK's sync
     * client runs each one on a pool thread, where they overtook each other (StdioRelayWireIT saw
     * 16 before 8) and one that lost the race to its call's answer was dropped.
     */
    private synchronized McpAsyncClient session() {
        if (upstream == null) {
            var client = McpClient.async(McpCall.transport(node, token, mapper))
                    .clientInfo(new McpSchema.Implementation("forge-mcp", "0.1.0"))
                    .requestTimeout(Duration.ofMinutes(10))
                    .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                    // Waits for a person: off the reading thread, as the sync client would run it.
                    .elicitation(request -> Mono.fromCallable(() -> askClient(request)).subscribeOn(Schedulers.boundedElastic()))
                    .progressConsumer(progress -> Mono.fromRunnable(() -> forwardProgress(progress)))
                    .build();
            initialized = client.initialize().block();
            upstream = client;
        }
        return upstream;
    }

    private synchronized void dropSession() {
        try {
            if (upstream != null) upstream.close();
        } catch (RuntimeException e) {
            // The SDK fails to close a session whose transport the node already dropped; there is nothing left to close.
        }
        upstream = null;
    }

    private void awaitNode() {
        var client = new NodeClient(node, "");
        long deadline = System.nanoTime() + NODE_RESTART_WAIT.toNanos();
        while (!client.answers() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A refused connection, a session the node no longer knows, or a session the SDK closed when the node went away. */
    private static boolean neverReachedTheNode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof McpTransportSessionNotFoundException || t instanceof ConnectException) return true;
            if (SESSION_TERMINATED.equals(t.getMessage())) return true;
        }
        return false;
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
