package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters that make a run replayable: the same model, input and these give the same
 * output on the same kernel path. Temperature is in thousandths, so no float is ever signed.
 */
public record Replay(int maxTokens, int temperatureMilli, long seed, List<String> stop) {
    public static final int MAX_TOKENS = 1_000_000;
    public static final int MAX_TEMPERATURE_MILLI = 2_000;
    public static final int MAX_STOPS = 4;
    public static final int MAX_STOP_BYTES = 64;

    public Replay {
        WorkException.require(maxTokens >= 1 && maxTokens <= MAX_TOKENS, "max tokens must be 1 to " + MAX_TOKENS);
        WorkException.require(temperatureMilli >= 0 && temperatureMilli <= MAX_TEMPERATURE_MILLI,
                "temperature must be 0 to " + MAX_TEMPERATURE_MILLI + " thousandths");
        WorkException.require(stop != null && stop.size() <= MAX_STOPS, "at most " + MAX_STOPS + " stop strings");
        for (String s : stop) {
            int bytes = s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
            WorkException.require(bytes >= 1 && bytes <= MAX_STOP_BYTES, "a stop string is 1 to " + MAX_STOP_BYTES + " bytes");
        }
        stop = List.copyOf(stop);
    }

    CanonicalWriter write(CanonicalWriter out) {
        out.i32(maxTokens).i32(temperatureMilli).i64(seed).u8(stop.size());
        stop.forEach(out::string);
        return out;
    }

    static Replay read(CanonicalReader in) {
        int maxTokens = in.i32();
        int temperature = in.i32();
        long seed = in.i64();
        int count = in.u8();
        WorkException.require(count <= MAX_STOPS, "at most " + MAX_STOPS + " stop strings");
        List<String> stop = new ArrayList<>(count);
        for (int i = 0; i < count; i++) stop.add(in.string());
        return new Replay(maxTokens, temperature, seed, stop);
    }
}
