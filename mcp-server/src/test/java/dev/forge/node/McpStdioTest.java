package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code forge mcp} as Claude Code starts it: a child process speaking MCP on stdio, driven by the
 * LangChain4j stdio client, relaying to the one node that owns the ledger. Two sessions at once.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class McpStdioTest {
    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    McpClient stdio(String token) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                "dev.forge.node.cli.Forge", "mcp", "--node", "http://127.0.0.1:" + base.getPort(), "--token", token));
        var transport = StdioMcpTransport.builder().command(command).build();
        return DefaultMcpClient.builder().transport(transport).clientName("stdio-test")
                .initializationTimeout(Duration.ofSeconds(60)).toolExecutionTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void twoStdioSessionsShareOneNodeAndItsLedger() throws Exception {
        String token = node.createAgent("stella");
        try (McpClient first = stdio(token); McpClient second = stdio(token)) {
            List<String> names = first.listTools().stream().map(ToolSpecification::name).toList();
            assertEquals(24, names.size(), names.toString());
            JsonNode chat = McpHttpTest.call(first, "chat", "{\"model\":\"stories260K\",\"prompt\":\"Once upon a time\",\"max_tokens\":16}");
            assertFalse(chat.has("isError"), chat.toString());
            assertTrue(chat.get("text").asText().startsWith(", there was a little girl named Lily."));
            JsonNode balance = McpHttpTest.call(second, "balance", "{}");
            assertEquals(chat.get("balance_cu").asText(), balance.get("balance_cu").asText(),
                    "the second session sees the first one's spend: one ledger");
            JsonNode refused = McpHttpTest.call(second, "chat", "{\"model\":\"stories260K\"}");
            assertEquals("invalid_argument", refused.get("error").asText());
        }
    }
}
