package dev.forge.node.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A tool as Forge declares it: its MCP description (schemas and annotations) and a handler
 * that returns the structured result, which the server also sends as text.
 */
record ForgeTool(McpSchema.Tool tool, Set<String> arguments, Function<ToolCall, Map<String, Object>> handler) {

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
