package dev.forge.economy.work;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny canonical JSON writer for exports, the subset of RFC 8785 (JCS) Forge needs: objects
 * with their keys sorted by UTF-16 code units, arrays, strings escaped as JCS does, booleans,
 * null and integers of at most 2^53 − 1 in magnitude (larger ones are written as strings by the
 * caller, as protobuf's JSON mapping does for int64). No floats, so no number formatting rules.
 */
final class Json {
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private Json() {
    }

    static byte[] bytes(Object value) {
        var out = new StringBuilder(256);
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case Integer i -> out.append(i);
            case Long l -> {
                if (Math.abs(l) > MAX_SAFE_INTEGER) throw new IllegalArgumentException("integer beyond 2^53: write it as a string");
                out.append(l);
            }
            case Map<?, ?> map -> object(map, out);
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(',');
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass().getSimpleName());
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        var sorted = new TreeMap<String, Object>();
        map.forEach((k, v) -> sorted.put((String) k, v));
        out.append('{');
        boolean first = true;
        for (var e : sorted.entrySet()) {
            if (!first) out.append(',');
            first = false;
            string(e.getKey(), out);
            out.append(':');
            write(e.getValue(), out);
        }
        out.append('}');
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
