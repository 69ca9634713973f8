package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.node.app.StatementView;
import dev.forge.node.mcp.PromptsAndResources;
import dev.forge.node.mcp.ToolSchemas;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MCP prompts' arguments are their records' fields, read by the records' schemas (bounded),
 * and each resource's JSON is exactly the record it is written from; over the official MCP client.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class PromptsAndResourcesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    @Test
    void promptArgumentsComeFromTheirRecordsAndAreBounded() {
        String token = node.createAgent("prompt-pam");
        try (var client = NodeClients.mcp(base, token, "prompts-test")) {
            var prompts = client.listPrompts().prompts();
            var plan = prompts.stream().filter(p -> p.name().equals("plan_within_budget")).findFirst().orElseThrow();
            assertEquals(java.util.List.of(new McpSchema.PromptArgument("task", "what you want done", true)), plan.arguments());
            var explain = prompts.stream().filter(p -> p.name().equals("explain_refusal")).findFirst().orElseThrow();
            assertEquals(java.util.List.of(new McpSchema.PromptArgument("code", "the error code the tool returned", true),
                    new McpSchema.PromptArgument("message", "the message that came with it", false)), explain.arguments());

            String text = text(client.getPrompt(new McpSchema.GetPromptRequest("plan_within_budget", Map.of("task", "a haiku"))));
            assertTrue(text.contains("a haiku"), text);
            var tooLong = Map.<String, Object>of("task", "x".repeat(4_001));
            var refused = assertThrows(McpError.class,
                    () -> client.getPrompt(new McpSchema.GetPromptRequest("plan_within_budget", tooLong)));
            assertTrue(refused.getMessage().contains("task is longer than 4000 characters"), refused.getMessage());
            assertThrows(McpError.class, () -> client.getPrompt(new McpSchema.GetPromptRequest("explain_refusal", Map.of())));

            check(resource(client, "forge://statement"), StatementView.class);
            JsonNode policy = check(resource(client, "forge://policy"), PromptsAndResources.Policy.class);
            assertEquals("prompt-pam", policy.get("agent").asText());
            JsonNode root = check(resource(client, "forge://network/root"), PromptsAndResources.Root.class);
            assertEquals(node.ledger().logSize(), root.get("trade_count").asLong());
        }
    }

    private static JsonNode resource(io.modelcontextprotocol.client.McpSyncClient client, String uri) {
        var contents = (McpSchema.TextResourceContents) client.readResource(new McpSchema.ReadResourceRequest(uri)).contents().getFirst();
        try {
            return JSON.readTree(contents.text());
        } catch (Exception e) {
            throw new AssertionError(uri + " is not JSON: " + contents.text(), e);
        }
    }

    private static JsonNode check(JsonNode json, Class<?> record) {
        var errors = ToolSchemas.validator(ToolSchemas.of(record)).validate(json);
        assertTrue(errors.isEmpty(), record.getSimpleName() + ": " + errors + " in " + json);
        return json;
    }

    private static String text(McpSchema.GetPromptResult prompt) {
        return ((McpSchema.TextContent) prompt.messages().getFirst().content()).text();
    }
}
