package dev.forge.node.work;

import dev.forge.economy.market.ProviderFilter;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * A buyer's filters as {@code route} and {@code providers} take them (docs/verification.md, "A
 * buyer's filters"): {@code min_verification_rate} a decimal string from "0" to "1" with at most
 * six decimals ("0.9" is 90%, compared with the rate's parts per million exactly), and
 * {@code min_completed} a whole number of orders from 0 to 10^9.
 */
public final class BuyerFilters {
    public static final long MAX_COMPLETED = 1_000_000_000L;
    private static final Pattern RATE = Pattern.compile("(0|1)(\\.[0-9]{1,6})?");

    private BuyerFilters() {
    }

    /** @param rate the decimal string, or null for no minimum */
    public static ProviderFilter of(String rate, long minCompleted) {
        long ppm = 0;
        if (rate != null) {
            WorkRefusal.require(RATE.matcher(rate).matches(), WorkRefusal.INVALID_ARGUMENT,
                    "min_verification_rate is a decimal string from \"0\" to \"1\" with at most 6 decimals, e.g. \"0.9\" for 90%");
            BigDecimal value = new BigDecimal(rate);
            WorkRefusal.require(value.compareTo(BigDecimal.ONE) <= 0, WorkRefusal.INVALID_ARGUMENT,
                    "min_verification_rate is at most \"1\" (every checked chain verifies)");
            ppm = value.movePointRight(6).longValueExact();
        }
        WorkRefusal.require(minCompleted >= 0 && minCompleted <= MAX_COMPLETED, WorkRefusal.INVALID_ARGUMENT,
                "min_completed is 0 to " + MAX_COMPLETED);
        return new ProviderFilter(ppm, minCompleted);
    }
}
