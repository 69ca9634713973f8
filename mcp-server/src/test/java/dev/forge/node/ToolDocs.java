package dev.forge.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.market.Cu;
import dev.forge.node.app.SignedAmount;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A tool's arguments and answer fields as docs/mcp.md tabulates them, generated from the schemas the node serves. */
final class ToolDocs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolDocs() {
    }

    /** The two tables of one tool: its arguments (if it takes any) and its answer's fields. */
    static String tables(McpSchema.Tool tool) {
        StringBuilder out = new StringBuilder();
        List<String> arguments = rows(JSON.valueToTree(tool.inputSchema()), "", true);
        if (arguments.isEmpty()) out.append("No arguments.\n\n");
        else out.append("| argument | type | required | meaning |\n|---|---|---|---|\n").append(String.join("", arguments)).append('\n');
        out.append("| answer field | type | always there | meaning |\n|---|---|---|---|\n")
                .append(String.join("", rows(JSON.valueToTree(tool.outputSchema()), "", true)));
        return out.toString();
    }

    /** One record's fields as a table: {@code header} names the first column, {@code presence} the third. */
    static String table(JsonNode schema, String header, String presence) {
        return "| " + header + " | type | " + presence + " | meaning |\n|---|---|---|---|\n" + String.join("", rows(schema, "", true));
    }

    /** The field names in a tool's section of the docs: every first cell of a table row that is a name in backticks. */
    static Set<String> documented(String section, String header) {
        Set<String> names = new HashSet<>();
        boolean inTable = false;
        for (String line : section.lines().toList()) {
            if (line.startsWith("| " + header + " |")) inTable = true;
            else if (!line.startsWith("|")) inTable = false;
            else if (inTable && line.startsWith("| `")) names.add(line.substring(3, line.indexOf('`', 3)));
        }
        return names;
    }

    static Set<String> fields(JsonNode schema) {
        Set<String> names = new HashSet<>();
        for (String row : rows(schema, "", true)) names.add(row.substring(3, row.indexOf('`', 3)));
        return names;
    }

    private static List<String> rows(JsonNode schema, String prefix, boolean top) {
        List<String> rows = new ArrayList<>();
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        schema.path("properties").fields().forEachRemaining(entry -> {
            String name = prefix + entry.getKey();
            JsonNode property = entry.getValue();
            rows.add("| `" + name + "` | " + type(property) + " | " + (required.contains(entry.getKey()) ? "yes" : "no") + " | "
                    + property.path("description").asText("").replace("|", "\\|") + " |\n");
            JsonNode items = property.path("items");
            if (items.path("type").asText().equals("object")) rows.addAll(rows(items, name + "[].", false));
            if (property.path("type").asText().equals("object") && property.has("properties")) {
                rows.addAll(rows(property, name + ".", false));
            }
        });
        return rows;
    }

    private static String type(JsonNode property) {
        if (Cu.PATTERN.equals(property.path("pattern").asText(null))) return "CU string";
        if (SignedAmount.PATTERN.equals(property.path("pattern").asText(null))) return "signed CU string";
        if (property.has("enum")) {
            List<String> values = new ArrayList<>();
            property.get("enum").forEach(v -> values.add(v.asText()));
            return "one of " + String.join(", ", values);
        }
        String type = property.path("type").asText("any");
        String bounds = "";
        if (property.has("minimum") || property.has("maximum")) {
            bounds = " " + property.path("minimum").asText("") + " to " + property.path("maximum").asText("");
        } else if (property.has("maxLength")) {
            bounds = ", at most " + property.get("maxLength").asText() + " characters";
        } else if (property.has("maxItems")) {
            bounds = ", at most " + property.get("maxItems").asText() + " items";
        }
        if (type.equals("array")) return "array of " + property.path("items").path("type").asText("any") + bounds;
        if (type.equals("object") && property.has("additionalProperties") && property.get("additionalProperties").isObject()) {
            return "object of " + property.get("additionalProperties").path("type").asText();
        }
        return type + bounds;
    }
}
