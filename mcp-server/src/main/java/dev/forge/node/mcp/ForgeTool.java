package dev.forge.node.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * A tool as Forge declares it: its MCP description, whose input and output schemas are generated
 * from its request and answer records, and the service call it adapts.
 */
record ForgeTool(McpSchema.Tool tool, Arguments arguments, Handler<Object> handler) {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A service call: the caller and the bound request in, an answer record out. */
    @FunctionalInterface
    interface Handler<Q> {
        Object handle(ToolCall call, Q request);
    }

    /** Checks and binds the arguments, calls the service, and gives the answer as JSON (absent fields for nulls). */
    Map<String, Object> run(ToolCall call, Map<String, Object> given) {
        Object answer = handler.handle(call, arguments.bind(given));
        return ToolSchemas.JSON.convertValue(answer, MAP);
    }

    /** Arguments that arrived as text (a query string), each read as the type the input schema gives it. */
    Map<String, Object> fromText(Map<String, String> text) {
        return arguments.fromText(text);
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final String name;
        private String title;
        private String description;
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

        /** The tool: its request record, its answer record, and the service call between them. */
        @SuppressWarnings("unchecked")
        <Q, A> ForgeTool handles(Class<Q> request, Class<A> answer, Handler<Q> handler) {
            var arguments = new Arguments(request);
            var annotations = new McpSchema.ToolAnnotations(title, readOnly, destructive, idempotent, false, null);
            var tool = McpSchema.Tool.builder().name(name).title(title).description(description)
                    .inputSchema(ToolSchemas.JSON.convertValue(arguments.schema(), MAP))
                    .outputSchema(ToolSchemas.JSON.convertValue(ToolSchemas.of(answer), MAP))
                    .annotations(annotations).build();
            return new ForgeTool(tool, arguments, (Handler<Object>) handler);
        }
    }
}
