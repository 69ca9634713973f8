package dev.forge.economy.market;

import dev.forge.economy.ledger.Limits;
import java.math.BigDecimal;

/** µCU as a CU decimal string with six places, for reasons and answers. */
public final class Cu {
    private Cu() {
    }

    public static String format(long micro) {
        return BigDecimal.valueOf(micro, 6).toPlainString();
    }

    /** The cost of {@code tokens} at a price per 1,000 tokens, rounded up to the next µCU. */
    public static long cost(long tokens, long pricePerKiloToken) {
        return Math.ceilDiv(Math.multiplyExact(tokens, pricePerKiloToken), 1_000L);
    }

    static long cu(long whole) {
        return whole * Limits.MICRO_PER_CU;
    }
}
