package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code ./forge mcp} as Claude Code runs it, driven by the MCP SDK's stdio client: it starts a node
 * (serving the embedded model) when none answers for --data, answers a wrong token with one MCP
 * error line, keeps a session across a restart of the node without losing a call, and answers a
 * call the node never comes back for with the code {@code node_unreachable}.
 */
class StdioRelayIT {
    @org.junit.jupiter.api.BeforeAll
    static void packaged() {
        NodeProcess.requirePackaged();
    }

    static final ObjectMapper JSON = new ObjectMapper();

    record Session(McpSyncClient client, List<String> stderr) implements AutoCloseable {
        @Override
        public void close() {
            client.closeGracefully();
        }
    }

    static Session session(Path data, int port, String token) {
        var parameters = ServerParameters.builder(Launcher.SCRIPT.toString())
                .args("mcp", "--data", data.toString(), "--node", "http://127.0.0.1:" + port)
                .env(Map.of("FORGE_TOKEN", token, "PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home")))
                .build();
        var transport = new StdioClientTransport(parameters, new JacksonMcpJsonMapper(JSON));
        List<String> stderr = new CopyOnWriteArrayList<>();
        transport.setStdErrorHandler(stderr::add);
        return new Session(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120))
                .initializationTimeout(Duration.ofSeconds(180)).build(), stderr);
    }

    @Test
    void startsANodeWithTheEmbeddedModelRefusesAWrongTokenAndSurvivesARestart() throws Exception {
        Path data = Files.createTempDirectory("forge-relay-it");
        int port = NodeProcess.freePort();
        NodeProcess restarted = null;
        try {
            try (var refused = session(data, port, "forge_ag_not_a_token")) {
                var error = assertThrows(RuntimeException.class, () -> refused.client().initialize());
                assertTrue(messages(error).contains("unauthorized: the node at http://127.0.0.1:" + port
                        + " does not know this token (check --token-file or FORGE_TOKEN)"), messages(error));
                awaitExitLines(refused, 2);
                assertTrue(refused.stderr().getFirst().startsWith("forge: starting a node for " + data), refused.stderr().toString());
                assertEquals("forge: unauthorized: the node at http://127.0.0.1:" + port
                        + " does not know this token (check --token-file or FORGE_TOKEN)", refused.stderr().get(1));
                assertFalse(refused.stderr().stream().anyMatch(l -> l.strip().startsWith("at ")), refused.stderr().toString());
            }
            assertTrue(Files.exists(data.resolve(StartupReport.ADDRESS_FILE)), "the started node keeps running");
            var created = Launcher.run("account", "create", "relay", "--data", data.toString());
            String token = JSON.readTree(created.out()).get("token").asText();

            try (var agent = session(data, port, token)) {
                agent.client().initialize();
                var chat = call(agent, "chat", Map.of("model", "stories260K", "prompt", "Once upon a time", "max_tokens", 8));
                assertTrue(chat.path("text").asText().startsWith(", there was a little girl"), chat.toString());

                stopStartedNode(data);
                restarted = NodeProcess.start(data, TestModel.folder().toString(), port);
                restarted.awaitAddress();

                var balance = call(agent, "balance", Map.of());
                assertEquals(chat.path("balance_cu").asText(), balance.path("balance_cu").asText(), balance.toString());

                restarted.close();
                restarted = null;
                var gone = agent.client().callTool(new McpSchema.CallToolRequest("balance", Map.of()));
                assertEquals(Boolean.TRUE, gone.isError(), gone.toString());
                var body = JSON.valueToTree(gone.structuredContent());
                assertEquals("node_unreachable", body.path("error").asText(), gone.toString());
                assertEquals(JSON.readTree(((McpSchema.TextContent) gone.content().getFirst()).text()), body, "the text is the same JSON");
            }
        } finally {
            if (restarted != null) restarted.close();
            else stopStartedNode(data);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode call(Session session, String tool, Map<String, Object> arguments)
            throws Exception {
        McpSchema.CallToolResult result = session.client().callTool(new McpSchema.CallToolRequest(tool, arguments));
        String text = ((McpSchema.TextContent) result.content().getFirst()).text();
        assertFalse(Boolean.TRUE.equals(result.isError()), text);
        return JSON.readTree(text);
    }

    /** The node forge mcp started is no child of this test: stop it the way --help says, by its pid file. */
    private static void stopStartedNode(Path data) throws Exception {
        Path pid = data.resolve(StartupReport.PID_FILE);
        if (!Files.exists(pid)) return;
        var process = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
        if (process.isEmpty()) return;
        process.get().destroy();
        process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void awaitExitLines(Session session, int lines) throws InterruptedException {
        for (int i = 0; i < 100 && session.stderr().size() < lines; i++) Thread.sleep(100);
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(t.getMessage()).append(" | ");
        return all.toString();
    }
}
