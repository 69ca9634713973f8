package dev.forge.node.mcp;

import dev.forge.economy.ledger.Limits;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tool call's arguments, read with their types and bounds checked; anything else is {@code invalid_argument}. */
final class Args {
    private final Map<String, Object> values;

    Args(Map<String, Object> values, Set<String> known) {
        this.values = values == null ? Map.of() : values;
        for (String name : this.values.keySet()) {
            if (!known.contains(name)) throw ToolException.invalid("unknown argument '" + name + "'; this tool takes " + known);
        }
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    String string(String name, int maxLength) {
        Object v = require(name);
        if (!(v instanceof String s) || s.isBlank()) throw ToolException.invalid(name + " must be a non-empty string");
        if (s.length() > maxLength) throw ToolException.invalid(name + " is longer than " + maxLength + " characters");
        return s;
    }

    String string(String name, int maxLength, String fallback) {
        return has(name) ? string(name, maxLength) : fallback;
    }

    long integer(String name, long min, long max, long fallback) {
        if (!has(name)) return fallback;
        Object v = values.get(name);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw ToolException.invalid(name + " must be a whole number");
        }
        long value = n.longValue();
        if (value < min || value > max) throw ToolException.invalid(name + " must be between " + min + " and " + max + ", got " + v);
        return value;
    }

    double number(String name, double min, double max, double fallback) {
        if (!has(name)) return fallback;
        if (!(values.get(name) instanceof Number n) || Double.isNaN(n.doubleValue())) throw ToolException.invalid(name + " must be a number");
        double value = n.doubleValue();
        if (value < min || value > max) throw ToolException.invalid(name + " must be between " + min + " and " + max);
        return value;
    }

    /** A CU amount (decimal string or number, at most six decimals) in µCU; positive and within the ledger's limit. */
    long cu(String name) {
        Object v = require(name);
        BigDecimal amount;
        try {
            amount = new BigDecimal(v instanceof Number n ? n.toString() : String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw ToolException.invalid(name + " must be an amount of CU such as \"12.5\", got " + v);
        }
        if (amount.stripTrailingZeros().scale() > 6) throw ToolException.invalid(name + " has more than six decimals");
        if (amount.signum() <= 0) throw ToolException.invalid(name + " must be positive");
        BigDecimal micro = amount.movePointRight(6);
        if (micro.compareTo(BigDecimal.valueOf(Limits.MAX_AMOUNT)) > 0) throw ToolException.invalid(name + " is beyond the ledger's limit");
        return micro.longValueExact();
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String name, int maxSize) {
        Object v = require(name);
        if (!(v instanceof List<?> list)) throw ToolException.invalid(name + " must be an array");
        if (list.size() > maxSize) throw ToolException.invalid(name + " has more than " + maxSize + " items");
        return (List<Object>) list;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) throw ToolException.invalid("missing argument '" + name + "'");
        return v;
    }
}
