package dev.forge.economy.market;

import dev.forge.economy.work.VerificationRate;

/**
 * A buyer's floor on who may serve it: a minimum verification rate and a minimum number of
 * completed orders. The rate compared is {@link VerificationRate#ppm()}, the prior included, so
 * a provider without evidence stands at the prior (50%) until its chains are checked.
 *
 * @param minVerificationPpm 0 to 1,000,000 (1,000,000 = every µCU of checked work verifies)
 * @param minCompleted 0 or more orders delivered and paid
 */
public record ProviderFilter(long minVerificationPpm, long minCompleted) {
    public static final ProviderFilter NONE = new ProviderFilter(0, 0);

    public ProviderFilter {
        MarketException.require(minVerificationPpm >= 0 && minVerificationPpm <= 1_000_000, MarketException.Code.INVALID_ARGUMENT,
                "minimum verification rate must be 0 to 100%");
        MarketException.require(minCompleted >= 0 && minCompleted <= 1_000_000_000L, MarketException.Code.INVALID_ARGUMENT,
                "minimum completed orders must be 0 to 1e9");
    }

    /** Why a provider with this rate is left out, or null when it may serve. */
    public String refusal(VerificationRate rate) {
        if (rate.ppm() < minVerificationPpm) {
            return "verification rate " + percent(rate.ppm()) + " is below your minimum of " + percent(minVerificationPpm)
                    + " (" + rate.describe() + ")";
        }
        if (rate.completed() < minCompleted) {
            return rate.completed() + " completed orders, below your minimum of " + minCompleted;
        }
        return null;
    }

    /** ppm as a percentage with one decimal, rounded down. */
    static String percent(long ppm) {
        long perMille = ppm / 1_000;
        return (perMille / 10) + "." + (perMille % 10) + "%";
    }
}
