package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import java.math.BigDecimal;
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

    /** The temperature a model runs at: {@code temperatureMilli / 1000f}, the float nearest the decimal. */
    public float temperature() {
        return temperatureMilli / 1000f;
    }

    /**
     * A temperature as an API gives it, in thousandths, strictly: the number is taken as the
     * shortest decimal that reads back as the same double (what JSON wrote: 0.7 is 0.7, not
     * 0.6999…), and it must have at most three decimal places and lie in 0 to 2. Nothing is
     * rounded: 0.7 → 700, 1e-3 → 1, 0.0005 is refused.
     */
    public static int temperatureMilli(double temperature) {
        WorkException.require(Double.isFinite(temperature), "temperature must be a finite number");
        return milli(new BigDecimal(Double.toString(temperature)));
    }

    /**
     * The same rule for a temperature already held as a float (the inference engine's type):
     * the shortest decimal that reads back as the same float. Every value this accepts gives
     * back the same float from {@link #temperature()}.
     */
    public static int temperatureMilli(float temperature) {
        WorkException.require(Float.isFinite(temperature), "temperature must be a finite number");
        return milli(new BigDecimal(Float.toString(temperature)));
    }

    private static int milli(BigDecimal temperature) {
        BigDecimal milli = temperature.movePointRight(3).stripTrailingZeros();
        WorkException.require(milli.scale() <= 0, "temperature has at most 3 decimal places, got " + temperature.toPlainString());
        WorkException.require(milli.signum() >= 0 && milli.compareTo(BigDecimal.valueOf(MAX_TEMPERATURE_MILLI)) <= 0,
                "temperature must be 0 to " + MAX_TEMPERATURE_MILLI / 1000 + ", got " + temperature.toPlainString());
        return milli.intValueExact();
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
