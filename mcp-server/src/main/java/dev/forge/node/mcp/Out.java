package dev.forge.node.mcp;

import dev.forge.economy.market.Cu;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds structured results in a fixed key order; amounts become CU decimal strings. */
final class Out {
    private final Map<String, Object> values = new LinkedHashMap<>();

    static Out of() {
        return new Out();
    }

    Out put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    Out cu(String key, long micro) {
        values.put(key, Cu.format(micro));
        return this;
    }

    Map<String, Object> map() {
        return values;
    }
}
