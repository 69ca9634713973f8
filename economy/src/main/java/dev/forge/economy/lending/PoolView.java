package dev.forge.economy.lending;

import java.util.Map;

/**
 * The pool now.
 *
 * @param cash what lenders have in the pool and is not lent out (their pool accounts' balances)
 * @param lent principal still owed on active loans
 * @param lenders each lender's cash in the pool
 */
public record PoolView(long cash, long lent, Map<String, Long> lenders, int activeLoans) {
    public long funds() {
        return cash + lent;
    }
}
