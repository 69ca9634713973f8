package dev.forge.economy.lending;

/**
 * The lending pool's limits and rates.
 *
 * @param collateralPercent the collateral an account at the minimum credit score must lock, in percent of the
 *     amount borrowed: at least 100, so a borrower with no history is fully secured
 * @param floorCollateralPercent the least collateral any loan needs, percent (1 to {@code collateralPercent}):
 *     no loan is unsecured
 * @param floorCreditScore the score from which a borrower needs only the floor; between the minimum score and
 *     this one the percent falls in a straight line (its credit line)
 * @param reservePercent the share of the pool's funds (cash and lent) that must stay as cash after a loan
 * @param maxLoanPercent the largest share of the pool's funds one loan may take
 * @param maxTermMillis the longest term
 * @param minCreditScore the lowest credit score that may borrow (0 to 1,000)
 * @param minRateBps the yearly rate at a perfect credit score, basis points
 * @param maxRateBps the yearly rate at the minimum credit score, basis points
 * @param checkMillis how often the live schedule looks for loans past their term
 */
public record LendingConfig(int collateralPercent, int floorCollateralPercent, int floorCreditScore, int reservePercent,
                            int maxLoanPercent, long maxTermMillis, int minCreditScore, int minRateBps, int maxRateBps,
                            long checkMillis) {
    public static final long DAY = 86_400_000L;
    /** 150% at score 300 down to 25% at 500: see docs/economics.md and the architecture entry for why. */
    public static final LendingConfig DEFAULT = new LendingConfig(150, 25, 500, 20, 25, 30 * DAY, 300, 500, 5_000, 1_000);

    public LendingConfig {
        if (collateralPercent < 100 || collateralPercent > 10_000 || floorCollateralPercent < 1
                || floorCollateralPercent > collateralPercent || reservePercent < 0 || reservePercent >= 100
                || maxLoanPercent < 1 || maxLoanPercent > 100 || maxTermMillis < 1 || minCreditScore < 0
                || minCreditScore > 999 || floorCreditScore <= minCreditScore || floorCreditScore > 1_000 || minRateBps < 0
                || maxRateBps < minRateBps || maxRateBps > 100_000 || checkMillis < 1) {
            throw new IllegalArgumentException("lending limits out of range");
        }
    }

    /** From the maximum rate at the minimum score down to the minimum rate at 1,000, in a straight line. */
    public int rateBps(int creditScore) {
        int above = Math.clamp(creditScore - minCreditScore, 0, 1_000 - minCreditScore);
        return maxRateBps - (maxRateBps - minRateBps) * above / (1_000 - minCreditScore);
    }

    /**
     * The collateral a loan needs at this score, percent of its amount: {@code collateralPercent} at or below
     * the minimum score, {@code floorCollateralPercent} at or above {@code floorCreditScore}, and between them a
     * straight line whose fall is rounded down, so the percent is rounded up (in the lenders' favour).
     */
    public int collateralPercent(int creditScore) {
        int span = floorCreditScore - minCreditScore;
        int above = Math.clamp(creditScore - minCreditScore, 0, span);
        return collateralPercent - (collateralPercent - floorCollateralPercent) * above / span;
    }

    /** The collateral percent at this score and the line it comes from, in one line. */
    public String collateralWhy(int creditScore) {
        return "score " + creditScore + " needs " + collateralPercent(creditScore) + "% collateral: " + collateralPercent
                + "% at the minimum score " + minCreditScore + ", falling in a straight line to " + floorCollateralPercent
                + "% at " + floorCreditScore + " and above";
    }

    /** The least collateral, µCU, a loan of {@code amount} µCU needs at this score: rounded up. */
    public long collateralFor(long amount, int creditScore) {
        return Math.ceilDiv(Math.multiplyExact(amount, (long) collateralPercent(creditScore)), 100L);
    }
}
