package dev.forge.economy.lending;

/**
 * The lending pool's limits and rates.
 *
 * @param collateralPercent collateral must be at least this share of the amount borrowed
 * @param reservePercent the share of the pool's funds (cash and lent) that must stay as cash after a loan
 * @param maxLoanPercent the largest share of the pool's funds one loan may take
 * @param maxTermMillis the longest term
 * @param minCreditScore the lowest credit score that may borrow (0 to 1,000)
 * @param minRateBps the yearly rate at a perfect credit score, basis points
 * @param maxRateBps the yearly rate at the minimum credit score, basis points
 * @param checkMillis how often the live schedule looks for loans past their term
 */
public record LendingConfig(int collateralPercent, int reservePercent, int maxLoanPercent, long maxTermMillis,
                            int minCreditScore, int minRateBps, int maxRateBps, long checkMillis) {
    public static final long DAY = 86_400_000L;
    public static final LendingConfig DEFAULT = new LendingConfig(150, 20, 25, 30 * DAY, 300, 500, 5_000, 1_000);

    public LendingConfig {
        if (collateralPercent < 100 || reservePercent < 0 || reservePercent >= 100 || maxLoanPercent < 1
                || maxLoanPercent > 100 || maxTermMillis < 1 || minCreditScore < 0 || minCreditScore > 999
                || minRateBps < 0 || maxRateBps < minRateBps || maxRateBps > 100_000 || checkMillis < 1) {
            throw new IllegalArgumentException("lending limits out of range");
        }
    }

    /** From the maximum rate at the minimum score down to the minimum rate at 1,000, in a straight line. */
    public int rateBps(int creditScore) {
        int above = Math.clamp(creditScore - minCreditScore, 0, 1_000 - minCreditScore);
        return maxRateBps - (maxRateBps - minRateBps) * above / (1_000 - minCreditScore);
    }
}
