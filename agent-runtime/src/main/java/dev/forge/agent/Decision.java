package dev.forge.agent;

/**
 * What the agent does next and why, in one line.
 *
 * @param offer the offer to order from, for {@link Kind#BUY}
 * @param amount µCU: the order's most cost (BUY), the loan (BORROW), the payment (REPAY), the deposit (LEND)
 * @param collateral µCU locked, for BORROW
 * @param termDays for BORROW
 * @param loanId for REPAY
 * @param fromKey µCU of earnings to move from the key account to the agent account before a REPAY
 *     ({@code move_funds from=key}): a loan is repaid from the agent account, earnings land on the key's
 */
public record Decision(Kind kind, Offer offer, long amount, long collateral, int termDays, String loanId, String reason,
                       long fromKey) {
    public enum Kind {
        /** Order the task from an offer. */
        BUY,
        /** Borrow, then move what the loan brings beyond its collateral to the key account, which pays for orders. */
        BORROW,
        REPAY,
        /** Deposit idle CU in the pool. */
        LEND,
        /** Nothing now: look again after a pause. */
        WAIT,
        /** Give this task up and go to the next. */
        SKIP,
        /** End the run. */
        STOP;

        /** Whether the step moves the agent's CU out (a repayment pays a debt, so it is not counted as spending). */
        public boolean spends() {
            return this == BUY || this == LEND;
        }
    }

    public Decision(Kind kind, Offer offer, long amount, long collateral, int termDays, String loanId, String reason) {
        this(kind, offer, amount, collateral, termDays, loanId, reason, 0);
    }

    public static Decision buy(Offer offer, long maxCost, String reason) {
        return new Decision(Kind.BUY, offer, maxCost, 0, 0, "", reason);
    }

    public static Decision borrow(long amount, long collateral, int termDays, String reason) {
        return new Decision(Kind.BORROW, null, amount, collateral, termDays, "", reason);
    }

    public static Decision repay(String loanId, long amount, String reason) {
        return new Decision(Kind.REPAY, null, amount, 0, 0, loanId, reason);
    }

    /** A repayment from earnings: {@code fromKey} µCU move from the key account first. */
    public static Decision repayFromKey(String loanId, long amount, long fromKey, String reason) {
        return new Decision(Kind.REPAY, null, amount, 0, 0, loanId, reason, fromKey);
    }

    public static Decision lend(long amount, String reason) {
        return new Decision(Kind.LEND, null, amount, 0, 0, "", reason);
    }

    public static Decision of(Kind kind, String reason) {
        return new Decision(kind, null, 0, 0, 0, "", reason);
    }

    /** What a BORROW adds to the key account: the loan less the collateral it locks. */
    public long proceeds() {
        return kind == Kind.BORROW ? amount - collateral : 0;
    }

    /** The same step again: kind, target and amount (the reason may differ). */
    public String signature() {
        return kind + ":" + (offer == null ? "" : offer.key()) + ":" + amount + ":" + collateral + ":" + loanId + ":" + fromKey;
    }
}
