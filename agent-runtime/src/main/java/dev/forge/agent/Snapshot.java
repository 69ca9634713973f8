package dev.forge.agent;

import java.util.List;

/**
 * What the agent saw before a step, read from the node's tools ({@code balance}, {@code pricing},
 * {@code providers}, {@code credit}, {@code pool}, {@code loans}, {@code safety}) and from its own
 * books. All money in µCU.
 *
 * @param available the agent account's available CU (its grant and loans; collateral and lending come from it)
 * @param spendable what the agent's key account can pay for orders it signs: what it earned this run less
 *                  what its orders hold or paid, plus the loan proceeds moved in, less the earnings moved out
 * @param earned what the agent's own work earned this run
 * @param rateBps the yearly rate the agent would borrow at, basis points
 * @param poolCash the pool's cash not lent out
 * @param collateralPercent the collateral a loan would need now, in percent of the amount: {@code credit} says it, falling
 *                          as the agent's credit score rises
 * @param maxTermDays the longest loan term
 * @param lent what the agent deposited in the pool this run
 * @param offers the offers the agent could order from (not its own)
 */
public record Snapshot(long now, long available, long spendable, long earned, long lent, int creditScore, boolean mayBorrow, int rateBps,
                       long poolCash, int collateralPercent, int maxTermDays, List<Loan> loans, List<Offer> offers,
                       boolean killSwitch, String killReason) {
    public Snapshot {
        loans = List.copyOf(loans);
        offers = List.copyOf(offers);
    }

    public List<Loan> activeLoans() {
        return loans.stream().filter(Loan::active).toList();
    }
}
