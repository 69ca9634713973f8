package dev.forge.economy.ledger;

/** Every bound the ledger enforces, in one place (Tiger Style: put a limit on everything). */
public final class Limits {
    /** 1 CU in µCU. */
    public static final long MICRO_PER_CU = 1_000_000L;
    /** No single amount may exceed one trillion CU: sums of many stay far from overflow. */
    public static final long MAX_AMOUNT = 1_000_000_000_000L * MICRO_PER_CU;
    public static final int MAX_KEY_BYTES = 128;
    public static final int MAX_MODEL_BYTES = 128;
    public static final int MAX_CHAIN_LENGTH = 64;
    /** A hold may wait at most a day before it expires. */
    public static final long MAX_HOLD_TIMEOUT_MILLIS = 24L * 60 * 60 * 1000;
    public static final int MAX_TOKENS = 10_000_000;

    private Limits() {}

    static String quote(String value) {
        if (value == null) return "null";
        return value.length() > 80 ? "\"" + value.substring(0, 80) + "...\"" : "\"" + value + "\"";
    }
}
