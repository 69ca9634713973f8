package dev.forge.node.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict reading of numbers from a JSON body: an integer must be a JSON integer in range (no
 * fraction, no string, no 64-bit wrap), a number must be a finite JSON number in range.
 */
final class JsonArgs {
    private JsonArgs() {
    }

    static long integer(JsonNode body, String field, long min, long max, long fallback) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) return fallback;
        boolean fits = v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= min && v.longValue() <= max;
        if (!fits) throw new IllegalArgumentException(field + " must be a JSON integer from " + min + " to " + max);
        return v.longValue();
    }

    static double number(JsonNode body, String field, double min, double max, double fallback) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) return fallback;
        if (!v.isNumber() || !(v.doubleValue() >= min && v.doubleValue() <= max)) {
            throw new IllegalArgumentException(field + " must be a number from " + min + " to " + max);
        }
        return v.doubleValue();
    }
}
