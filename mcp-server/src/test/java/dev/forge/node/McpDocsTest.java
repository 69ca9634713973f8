package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.node.mcp.PromptsAndResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/mcp.md documents every prompt (with its arguments) and every resource the node serves. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class McpDocsTest {
    @Inject
    ForgeNode node;

    @Test
    void everyPromptAndResourceIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "mcp.md"));
        var served = new PromptsAndResources(node);
        for (var prompt : served.prompts()) {
            assertTrue(docs.contains("| `" + prompt.prompt().name() + "` |"), prompt.prompt().name() + " is not in docs/mcp.md");
            for (var argument : prompt.prompt().arguments()) {
                assertTrue(docs.contains("`" + argument.name() + "` (" + (argument.required() ? "required" : "optional") + ")"),
                        prompt.prompt().name() + "'s argument " + argument.name() + " is not in docs/mcp.md");
            }
        }
        for (var resource : served.resources()) {
            assertTrue(docs.contains("| `" + resource.resource().uri() + "` |"), resource.resource().uri() + " is not in docs/mcp.md");
        }
    }
}
