package dev.forge.economy.market;

import dev.forge.economy.ledger.Limits;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** µCU as a CU decimal string with six places, for reasons and answers, and back. */
public final class Cu {
    /** The one form an amount of CU is read in: ASCII digits, at most 12 before the point and 6 after. */
    public static final String PATTERN = "^[0-9]{1,12}(\\.[0-9]{1,6})?$";
    /** The longest text {@link #PATTERN} allows; anything longer is refused before it is looked at. */
    public static final int MAX_LENGTH = 19;
    private static final Pattern FORM = Pattern.compile(PATTERN);

    private Cu() {
    }

    /**
     * Reads an amount of CU written as {@link #PATTERN} into µCU, exactly. No sign, no spaces,
     * no exponent, no other digits than ASCII: anything else is an {@link IllegalArgumentException}.
     */
    public static long parse(String text) {
        if (text == null || text.length() > MAX_LENGTH || !FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("an amount of CU is written like \"12.5\": up to 12 digits, "
                    + "optionally a point and up to 6 decimals");
        }
        int point = text.indexOf('.');
        String whole = point < 0 ? text : text.substring(0, point);
        String fraction = point < 0 ? "" : text.substring(point + 1);
        return Long.parseLong(whole) * Limits.MICRO_PER_CU + Long.parseLong((fraction + "000000").substring(0, 6));
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
