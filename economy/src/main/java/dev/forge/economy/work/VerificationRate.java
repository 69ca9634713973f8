package dev.forge.economy.work;

import java.math.BigInteger;

/**
 * A provider's reputation in the market's one sense: the value-weighted share of its checked
 * attestation chains that verify right now. A new provider starts from a prior worth
 * {@value #PRIOR_CHAINS} chains of {@value #PRIOR_VALUE} µCU at {@value #PRIOR_RATE_PER_MILLE}‰,
 * so one early failure or success does not swing it to an extreme.
 *
 * @param chains chains checked (each an order, its attestation and its place in the log)
 * @param verifying chains that passed their last check
 * @param value µCU of all checked chains
 * @param verifyingValue µCU of those that passed
 * @param completed orders delivered and paid
 */
public record VerificationRate(long chains, long verifying, long value, long verifyingValue, long completed) {
    public static final long PRIOR_CHAINS = 10;
    public static final long PRIOR_VALUE = 1_000_000;
    public static final long PRIOR_RATE_PER_MILLE = 500;

    public VerificationRate {
        WorkException.require(chains >= 0 && verifying >= 0 && verifying <= chains && value >= 0 && verifyingValue >= 0
                && verifyingValue <= value && completed >= 0, "counts must be consistent");
    }

    public static VerificationRate none() {
        return new VerificationRate(0, 0, 0, 0, 0);
    }

    /** Parts per million of value that verifies, the prior included; exact, in integers. */
    public long ppm() {
        BigInteger priorValue = BigInteger.valueOf(PRIOR_CHAINS * PRIOR_VALUE);
        BigInteger priorGood = priorValue.multiply(BigInteger.valueOf(PRIOR_RATE_PER_MILLE)).divide(BigInteger.valueOf(1000));
        BigInteger good = BigInteger.valueOf(verifyingValue).add(priorGood);
        BigInteger all = BigInteger.valueOf(value).add(priorValue);
        return good.multiply(BigInteger.valueOf(1_000_000)).divide(all).longValueExact();
    }

    /**
     * The share as the market shows it: "99.2% of 500 chains verifiable, 500 completed". The
     * share is the value-weighted one without the prior, rounded down to a tenth of a percent,
     * so "100.0%" means that every checked chain verifies.
     */
    public String describe() {
        if (chains == 0) return "no chains checked yet, " + completed + " completed";
        long perMille = value == 0 ? verifying * 1000 / chains
                : BigInteger.valueOf(verifyingValue).multiply(BigInteger.valueOf(1000)).divide(BigInteger.valueOf(value)).longValueExact();
        return (perMille / 10) + "." + (perMille % 10) + "% of " + chains + " chains verifiable, " + completed + " completed";
    }

    public VerificationRate withChecked(boolean verified, long amount) {
        return new VerificationRate(chains + 1, verifying + (verified ? 1 : 0), Math.addExact(value, amount),
                verified ? Math.addExact(verifyingValue, amount) : verifyingValue, completed);
    }

    public VerificationRate withCompleted() {
        return new VerificationRate(chains, verifying, value, verifyingValue, completed + 1);
    }
}
