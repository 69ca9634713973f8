package dev.forge.node.mcp;

import dev.forge.economy.ledger.Limits;
import dev.forge.economy.market.Cu;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tool call's arguments, read with their types and bounds checked; anything else is {@code invalid_argument}. */
final class Args {
    private final Map<String, Object> values;

    Args(Map<String, Object> values, Set<String> known) {
        this.values = values == null ? Map.of() : values;
        for (String name : this.values.keySet()) {
            if (!known.contains(name)) throw ToolException.invalid("unknown argument '" + shown(name) + "'; this tool takes " + known);
        }
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    /** A non-blank string of at most {@code maxLength} characters (code points, as JSON Schema counts them). */
    String string(String name, int maxLength) {
        Object v = require(name);
        if (!(v instanceof String s) || s.isBlank()) throw ToolException.invalid(name + " must be a non-empty string");
        if (s.length() > maxLength && (s.length() > 2 * maxLength || s.codePointCount(0, s.length()) > maxLength)) {
            throw ToolException.invalid(name + " is longer than " + maxLength + " characters");
        }
        return s;
    }

    String string(String name, int maxLength, String fallback) {
        return has(name) ? string(name, maxLength) : fallback;
    }

    /** A JSON integer within [min, max]; a fraction, a string or a number beyond 64 bits is refused, never rounded or wrapped. */
    long integer(String name, long min, long max, long fallback) {
        if (!has(name)) return fallback;
        Object v = values.get(name);
        BigInteger value = switch (v) {
            case Integer i -> BigInteger.valueOf(i);
            case Long l -> BigInteger.valueOf(l);
            case BigInteger b -> b;
            default -> throw ToolException.invalid(name + " must be a whole number written as a JSON integer");
        };
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw ToolException.invalid(name + " must be between " + min + " and " + max);
        }
        return value.longValueExact();
    }

    /** A finite JSON number within [min, max]; a string is refused. */
    double number(String name, double min, double max, double fallback) {
        if (!has(name)) return fallback;
        double value = switch (values.get(name)) {
            case Integer i -> i;
            case Long l -> l;
            case Double d -> d;
            case BigInteger b -> b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            default -> throw ToolException.invalid(name + " must be a number");
        };
        if (!(value >= min && value <= max)) throw ToolException.invalid(name + " must be a number from " + min + " to " + max);
        return value;
    }

    /**
     * A positive CU amount in µCU, written as a string of the form {@link Cu#PATTERN} (a JSON
     * integer is taken as its digits). Its length is checked before anything parses it.
     */
    long cu(String name) {
        String text = switch (require(name)) {
            case String s -> s;
            case Integer i -> i.toString();
            case Long l -> l.toString();
            default -> throw ToolException.invalid(name + " must be an amount of CU written as a string, such as \"12.5\"");
        };
        long micro;
        try {
            micro = Cu.parse(text);
        } catch (IllegalArgumentException e) {
            throw ToolException.invalid(name + ": " + e.getMessage());
        }
        if (micro <= 0) throw ToolException.invalid(name + " must be positive");
        if (micro > Limits.MAX_AMOUNT) throw ToolException.invalid(name + " is beyond the ledger's limit");
        return micro;
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String name, int maxSize) {
        Object v = require(name);
        if (!(v instanceof List<?> list)) throw ToolException.invalid(name + " must be an array");
        if (list.size() > maxSize) throw ToolException.invalid(name + " has more than " + maxSize + " items");
        return (List<Object>) list;
    }

    /** A caller's text as a refusal may quote it: at most 64 characters, so that no answer grows with the input. */
    private static String shown(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) throw ToolException.invalid("missing argument '" + name + "'");
        return v;
    }
}
