package dev.forge.inference;

import java.util.List;
import java.util.Map;

/**
 * A tool the model may call: its name, what it does, and its arguments as JSON Schema
 * properties (each a schema such as {@code {"type": "string", "description": "..."}}).
 */
public record ToolSpec(String name, String description, Map<String, Map<String, Object>> properties,
                       List<String> required) {
    public ToolSpec {
        InferenceException.require(name != null && name.matches("[A-Za-z0-9_.-]{1,64}"),
                InferenceException.Code.INVALID_ARGUMENT, "a tool name is 1-64 characters of A-Z a-z 0-9 _ . -");
        description = description == null ? "" : description;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        required = required == null ? List.of() : List.copyOf(required);
        InferenceException.require(properties.keySet().containsAll(required), InferenceException.Code.INVALID_ARGUMENT,
                "tool " + name + " requires an argument it does not define");
    }
}
