package dev.forge.node.mcp;

import dev.forge.node.app.CallRefused;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.forge.economy.market.Cu;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tool's arguments, checked against its generated input schema and then bound to its request
 * record. The first thing wrong is refused as {@code invalid_argument} with a sentence naming the
 * argument; a caller's text is quoted at most 64 characters long.
 */
final class Arguments {
    private static final String CU_FORM = cuForm();
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,40}");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,40}(\\.[0-9]{1,40})?");

    private final Class<?> type;
    private final ObjectNode schema;
    private final Schema validator;

    Arguments(Class<?> type) {
        this.type = type;
        this.schema = ToolSchemas.of(type);
        this.validator = ToolSchemas.validator(schema);
    }

    ObjectNode schema() {
        return schema;
    }

    /**
     * Arguments that arrived as text (a query string), each read as the type this tool's input
     * schema gives it: strings stay strings (an account named {@code 123} too); integers,
     * numbers and booleans must be written exactly so, or the call is {@code invalid_argument}.
     * An argument the tool does not take stays text, for the schema to refuse by name.
     */
    Map<String, Object> fromText(Map<String, String> text) {
        JsonNode properties = schema.path("properties");
        Map<String, Object> typed = new LinkedHashMap<>();
        text.forEach((name, value) -> typed.put(name, switch (properties.path(name).path("type").asText("string")) {
            case "integer" -> {
                if (!INTEGER.matcher(value).matches()) throw CallRefused.invalid(name + " must be a whole number");
                yield new BigInteger(value);
            }
            case "number" -> {
                if (!NUMBER.matcher(value).matches()) throw CallRefused.invalid(name + " must be a number");
                yield Double.parseDouble(value);
            }
            case "boolean" -> {
                if (!value.equals("true") && !value.equals("false")) throw CallRefused.invalid(name + " must be true or false");
                yield Boolean.parseBoolean(value);
            }
            default -> value;
        }));
        return typed;
    }

    /** The request record, or {@code invalid_argument}; a null value counts as an argument not given. */
    Object bind(Map<String, Object> arguments) {
        Map<String, Object> given = new LinkedHashMap<>();
        if (arguments != null) arguments.forEach((name, value) -> {
            if (value != null) given.put(name, value);
        });
        JsonNode json = ToolSchemas.JSON.valueToTree(given);
        List<Error> errors = new ArrayList<>(validator.validate(json));
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(Arguments::rank));
            throw CallRefused.invalid(sentence(errors.getFirst()));
        }
        try {
            return ToolSchemas.JSON.treeToValue(json, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof RuntimeException refusal) throw refusal;
            throw CallRefused.invalid("the arguments are not valid");
        } catch (JsonMappingException e) {
            throw CallRefused.invalid(name(e) + " must be " + expected(property(name(e))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CallRefused.invalid("the arguments are not valid JSON");
        }
    }

    /** Unknown arguments first, as a call that names one is wrong before anything else. */
    private static int rank(Error error) {
        return switch (error.getKeyword()) {
            case "additionalProperties" -> 0;
            case "required" -> 1;
            case "type" -> 2;
            default -> 3;
        };
    }

    private String sentence(Error error) {
        String at = path(error.getInstanceLocation().toString());
        return switch (error.getKeyword()) {
            case "additionalProperties" -> "unknown argument '" + shown(join(at, error.getProperty())) + "'; this tool takes "
                    + names(property(at));
            case "required" -> "missing argument '" + join(at, error.getProperty()) + "'";
            case "type" -> at + " must be " + expected(property(at));
            case "minimum", "maximum" -> at + " must be " + range(property(at));
            case "maxLength" -> at + " is longer than " + property(at).path("maxLength").asLong() + " characters";
            case "minLength" -> at + " must be a non-empty string";
            case "maxItems" -> at + " has more than " + property(at).path("maxItems").asLong() + " items";
            case "minItems" -> at + " must not be empty";
            case "enum" -> at + " must be one of " + property(at).path("enum");
            case "pattern" -> isCu(property(at)) ? at + ": " + CU_FORM : at + " is not in the required form";
            default -> at + ": " + error.getMessage();
        };
    }

    /** What Cu.parse says of any text not of its form. */
    private static String cuForm() {
        try {
            return "not an amount of CU: " + Cu.parse("");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String expected(JsonNode property) {
        if (isCu(property)) return "an amount of CU written as a string, such as \"12.5\"";
        return switch (property.path("type").asText()) {
            case "integer" -> "a whole number written as a JSON integer";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            case "array" -> "an array";
            case "object" -> "an object";
            default -> "a string";
        };
    }

    private static String range(JsonNode property) {
        String min = property.path("minimum").asText("");
        String max = property.path("maximum").asText("");
        if (property.path("type").asText().equals("number")) return "a number from " + min + " to " + max;
        return "between " + min + " and " + max;
    }

    private static boolean isCu(JsonNode property) {
        return Cu.PATTERN.equals(property.path("pattern").asText(null));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The schema of the argument at a path such as {@code messages[0].role}; the whole input for "". */
    private JsonNode property(String at) {
        JsonNode node = schema;
        if (at.isEmpty()) return node;
        for (String part : at.replace("[", ".[").split("\\.")) {
            if (part.isEmpty()) continue;
            node = part.startsWith("[") ? node.path("items") : node.path("properties").path(part);
        }
        return node;
    }

    /** {@code /messages/0/role} as {@code messages[0].role}. */
    private static String path(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) continue;
            if (part.chars().allMatch(Character::isDigit)) out.append('[').append(part).append(']');
            else out.append(out.isEmpty() ? "" : ".").append(part);
        }
        return out.toString();
    }

    private static String join(String at, String name) {
        return at.isEmpty() ? String.valueOf(name) : at + "." + name;
    }

    private static String name(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) out.append(out.isEmpty() ? "" : ".").append(reference.getFieldName());
            else if (reference.getIndex() >= 0) out.append('[').append(reference.getIndex()).append(']');
        }
        return out.isEmpty() ? "an argument" : out.toString();
    }

    /** A caller's text as a refusal may quote it: at most 64 characters, so that no answer grows with the input. */
    private static String shown(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
