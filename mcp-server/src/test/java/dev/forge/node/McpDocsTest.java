package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.node.http.EconomyResource;
import dev.forge.node.mcp.PromptsAndResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/mcp.md documents every tool's arguments and answer fields exactly as the generated schemas
 * declare them (no field missing, none that no longer exists), every prompt and every resource;
 * docs/rest.md names exactly the tools' REST calls the node serves (the other calls' records: RestDocsTest).
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class McpDocsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ForgeNode node;

    @Test
    void everyToolsArgumentsAndAnswerFieldsAreDocumentedAsTheSchemasDeclareThem() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "mcp.md"));
        StringBuilder expected = new StringBuilder();
        List<String> problems = new java.util.ArrayList<>();
        for (var tool : node.tools().tools()) {
            String tables = ToolDocs.tables(tool);
            expected.append("### `").append(tool.name()).append("`\n\n").append(tables).append('\n');
            String section = section(docs, tool.name());
            if (section == null) {
                problems.add(tool.name() + " has no section in docs/mcp.md");
                continue;
            }
            check(problems, tool.name() + "'s arguments", ToolDocs.fields(JSON.valueToTree(tool.inputSchema())),
                    ToolDocs.documented(section, "argument"));
            check(problems, tool.name() + "'s answer", ToolDocs.fields(JSON.valueToTree(tool.outputSchema())),
                    ToolDocs.documented(section, "answer field"));
            if (!section.contains(tables)) problems.add(tool.name() + "'s tables differ from the schemas' (types, bounds, meanings)");
        }
        if (!problems.isEmpty()) {
            Path generated = Path.of("target", "mcp-tool-tables.md");
            Files.writeString(generated, expected);
            throw new AssertionError(String.join("\n", problems) + "\n(the tables as the schemas give them: " + generated + ")");
        }
    }

    @Test
    void restDocsNameTheCallsTheNodeServes() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "rest.md"));
        assertEquals(new TreeSet<>(EconomyResource.READS), cells(docs, "| GET |"), "GET /v1/forge/... in docs/rest.md");
        assertEquals(new TreeSet<>(EconomyResource.WRITES), cells(docs, "| POST |"), "POST /v1/forge/... in docs/rest.md");
        Set<String> tools = new TreeSet<>();
        node.tools().tools().forEach(t -> tools.add(t.name()));
        assertTrue(tools.containsAll(EconomyResource.READS) && tools.containsAll(EconomyResource.WRITES), "each REST call is a tool");
    }

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

    private static void check(List<String> problems, String what, Set<String> declared, Set<String> documented) {
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(documented);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(declared);
        if (!missing.isEmpty()) problems.add(what + ": not documented " + missing);
        if (!stale.isEmpty()) problems.add(what + ": documented but not in the schema " + stale);
    }

    /** From the tool's heading to the next heading. */
    private static String section(String docs, String tool) {
        var heading = Pattern.compile("(?m)^### `" + Pattern.quote(tool) + "`.*$").matcher(docs);
        if (!heading.find()) return null;
        int end = docs.indexOf("\n#", heading.end());
        return docs.substring(heading.end(), end < 0 ? docs.length() : end);
    }

    /** The backticked names in the table row that starts so. */
    private static Set<String> cells(String docs, String start) {
        String row = docs.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError("no row " + start));
        Set<String> names = new TreeSet<>();
        var m = Pattern.compile("`([a-z_]+)`").matcher(row);
        while (m.find()) names.add(m.group(1));
        return names;
    }
}
