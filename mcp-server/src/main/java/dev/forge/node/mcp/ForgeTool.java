package dev.forge.node.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tool as Forge declares it: its MCP description, whose input and output schemas are generated
 * from its request and answer records, and the service call it adapts.
 */
record ForgeTool(McpSchema.Tool tool, Arguments arguments, Handler<Object> handler) {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,40}");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,40}(\\.[0-9]{1,40})?");
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

    /**
     * Arguments that arrived as text (a query string), each read as the type this tool's input
     * schema gives it: strings stay strings (an account named {@code 123} too); integers,
     * numbers and booleans must be written exactly so, or the call is {@code invalid_argument}.
     * An argument the tool does not take stays text, for the schema to refuse by name.
     */
    Map<String, Object> fromText(Map<String, String> text) {
        JsonNode properties = arguments.schema().path("properties");
        Map<String, Object> typed = new LinkedHashMap<>();
        text.forEach((name, value) -> typed.put(name, switch (properties.path(name).path("type").asText("string")) {
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
        }));
        return typed;
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
