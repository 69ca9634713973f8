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
 *     ({@code move_funds from=key}): a loan is repaid from the agent account, earnings land on the key's;
 *     for MOVE, equal to {@code amount} when it moves from the key account, 0 when it moves to it
 * @param inFull for REPAY: everything owed when the payment lands, no amount sent (the node holds what
 *     is owed and a thousandth more); a repayment from earnings is always in full
 */
public record Decision(Kind kind, Offer offer, long amount, long collateral, int termDays, String loanId, String reason,
                       long fromKey, boolean inFull) {
    public enum Kind {
        /** Order the task from an offer. */
        BUY,
        /** Borrow, then move what the loan brings beyond its collateral to the key account, which pays for orders. */
        BORROW,
        REPAY,
        /** Deposit idle CU in the pool. */
        LEND,
        /** Move CU between the agent's own two accounts ({@code move_funds}): neither spends nor borrows. */
        MOVE,
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
        this(kind, offer, amount, collateral, termDays, loanId, reason, 0, false);
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
        return new Decision(Kind.REPAY, null, amount, 0, 0, loanId, reason, fromKey, true);
    }

    /** A repayment in full from the agent account: {@code owed} is what the loan owed when the agent looked. */
    public static Decision repayInFull(String loanId, long owed, String reason) {
        return new Decision(Kind.REPAY, null, owed, 0, 0, loanId, reason, 0, true);
    }

    /** {@code amount} µCU from the key account to the agent account ({@code fromKey}), or the other way. */
    public static Decision move(boolean fromKey, long amount, String reason) {
        return new Decision(Kind.MOVE, null, amount, 0, 0, "", reason, fromKey ? amount : 0, false);
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
        return kind + ":" + (offer == null ? "" : offer.key()) + ":" + amount + ":" + collateral + ":" + loanId + ":" + fromKey + ":" + inFull;
    }
}
