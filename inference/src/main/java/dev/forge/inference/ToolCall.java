package dev.forge.inference;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A call of a tool that the model asked for, with its arguments as parsed JSON. */
public record ToolCall(String id, String name, Map<String, Object> arguments) {
    public ToolCall {
        InferenceException.require(name != null && !name.isEmpty(), InferenceException.Code.INVALID_ARGUMENT,
                "a tool call needs the tool's name");
        // JSON arguments may hold nulls, which Map.copyOf refuses.
        arguments = Collections.unmodifiableMap(arguments == null ? new LinkedHashMap<>() : new LinkedHashMap<>(arguments));
    }
}
