package dev.forge.economy.lending;

/**
 * A credit score from evidence, 0 to 1,000, with its parts.
 *
 * <ul>
 *   <li>age: 200 × days since the account opened ÷ 90, at most 200;</li>
 *   <li>volume: 25 per binary digit of the CU traded (bought and sold), at most 300, so
 *       1 CU gives 25, 1,000 CU 250, 4,096 CU or more 300;</li>
 *   <li>repayment: 500 × (loans repaid + 1) ÷ (loans repaid + defaults + 2): 250 with no
 *       history, rising with each repaid loan and falling with each default.</li>
 * </ul>
 */
public record CreditScore(String account, int score, int agePoints, int volumePoints, int repaymentPoints,
                          long ageDays, long tradedCu, int loansRepaid, int defaults, String explanation) {

    static CreditScore of(String account, long ageMillis, long tradedMicro, int repaid, int defaults) {
        long days = ageMillis / LendingConfig.DAY;
        int age = (int) Math.min(200, 200 * Math.max(0, ageMillis) / (90 * LendingConfig.DAY));
        long cu = tradedMicro / 1_000_000;
        int volume = Math.min(300, 25 * (64 - Long.numberOfLeadingZeros(cu)));
        int repayment = 500 * (repaid + 1) / (repaid + defaults + 2);
        String why = "age " + days + " days: " + age + " of 200; traded " + cu + " CU: " + volume + " of 300; "
                + repaid + " loans repaid and " + defaults + " defaulted: " + repayment + " of 500";
        return new CreditScore(account, age + volume + repayment, age, volume, repayment, days, cu, repaid, defaults, why);
    }
}
