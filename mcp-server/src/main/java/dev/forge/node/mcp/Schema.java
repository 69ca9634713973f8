package dev.forge.node.mcp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schema fragments for tool inputs and outputs, built as plain maps. */
final class Schema {
    /** CU amounts: a decimal string of ASCII digits, up to 12 before the point and six after; the one form Args.cu reads. */
    static final String CU_PATTERN = dev.forge.economy.market.Cu.PATTERN;

    private Schema() {
    }

    record Property(String name, Map<String, Object> schema, boolean required) {
    }

    static Map<String, Object> object(Property... properties) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Property p : properties) props.put(p.name(), p.schema());
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        List<String> required = Arrays.stream(properties).filter(Property::required).map(Property::name).toList();
        if (!required.isEmpty()) schema.put("required", required);
        return schema;
    }

    static Property required(String name, Map<String, Object> schema) {
        return new Property(name, schema, true);
    }

    static Property optional(String name, Map<String, Object> schema) {
        return new Property(name, schema, false);
    }

    static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> string(String description, int maxLength) {
        return Map.of("type", "string", "description", description, "maxLength", maxLength);
    }

    static Map<String, Object> choice(String description, String... values) {
        return Map.of("type", "string", "description", description, "enum", List.of(values));
    }

    static Map<String, Object> integer(String description, long min, long max) {
        return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
    }

    static Map<String, Object> integer(String description) {
        return Map.of("type", "integer", "description", description);
    }

    static Map<String, Object> number(String description, double min, double max) {
        return Map.of("type", "number", "description", description, "minimum", min, "maximum", max);
    }

    static Map<String, Object> bool(String description) {
        return Map.of("type", "boolean", "description", description);
    }

    static Map<String, Object> cu(String description) {
        return Map.of("type", "string", "description", description + " (CU, up to six decimals)", "pattern", CU_PATTERN,
                "maxLength", dev.forge.economy.market.Cu.MAX_LENGTH);
    }

    static Map<String, Object> array(String description, Map<String, Object> items) {
        return Map.of("type", "array", "description", description, "items", items);
    }

    static Map<String, Object> anyObject(String description) {
        return Map.of("type", "object", "description", description);
    }
}
