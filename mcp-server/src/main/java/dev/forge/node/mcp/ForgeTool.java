package dev.forge.node.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A tool as Forge declares it: its MCP description (schemas and annotations) and a handler
 * that returns the structured result, which the server also sends as text.
 */
record ForgeTool(McpSchema.Tool tool, Set<String> arguments, Function<ToolCall, Map<String, Object>> handler) {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,40}");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,40}(\\.[0-9]{1,40})?");

    /**
     * Arguments that arrived as text (a query string), each read as the type this tool's input
     * schema gives it: strings stay strings (an account named {@code 123} too); integers,
     * numbers and booleans must be written exactly so, or the call is {@code invalid_argument}.
     * An argument the tool does not take stays text, for {@link Args} to refuse by name.
     */
    Map<String, Object> fromText(Map<String, String> text) {
        Map<?, ?> properties = tool.inputSchema().get("properties") instanceof Map<?, ?> p ? p : Map.of();
        Map<String, Object> typed = new LinkedHashMap<>();
        text.forEach((name, value) -> {
            String type = properties.get(name) instanceof Map<?, ?> schema && schema.get("type") instanceof String t ? t : "string";
            typed.put(name, switch (type) {
                case "integer" -> {
                    if (!INTEGER.matcher(value).matches()) throw ToolException.invalid(name + " must be a whole number");
                    yield new BigInteger(value);
                }
                case "number" -> {
                    if (!NUMBER.matcher(value).matches()) throw ToolException.invalid(name + " must be a number");
                    yield Double.parseDouble(value);
                }
                case "boolean" -> {
                    if (!value.equals("true") && !value.equals("false")) throw ToolException.invalid(name + " must be true or false");
                    yield Boolean.parseBoolean(value);
                }
                default -> value;
            });
        });
        return typed;
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final String name;
        private String title;
        private String description;
        private Map<String, Object> input = Schema.object();
        private Map<String, Object> output;
        private boolean readOnly;
        private boolean destructive;
        private boolean idempotent;

        private Builder(String name) {
            this.name = name;
        }

        Builder title(String title) {
            this.title = title;
            return this;
        }

        Builder description(String description) {
            this.description = description;
            return this;
        }

        Builder input(Map<String, Object> schema) {
            this.input = schema;
            return this;
        }

        Builder output(Map<String, Object> schema) {
            this.output = schema;
            return this;
        }

        /** Reads only: no money moves, nothing changes. */
        Builder readOnly() {
            this.readOnly = true;
            this.idempotent = true;
            return this;
        }

        Builder destructive() {
            this.destructive = true;
            return this;
        }

        Builder idempotent() {
            this.idempotent = true;
            return this;
        }

        @SuppressWarnings("unchecked")
        ForgeTool handler(Function<ToolCall, Map<String, Object>> handler) {
            var annotations = new McpSchema.ToolAnnotations(title, readOnly, destructive, idempotent, false, null);
            var tool = McpSchema.Tool.builder().name(name).title(title).description(description).inputSchema(input)
                    .outputSchema(output).annotations(annotations).build();
            var properties = (Map<String, Object>) input.getOrDefault("properties", Map.of());
            return new ForgeTool(tool, new LinkedHashMap<>(properties).keySet(), handler);
        }
    }
}
