package dev.forge.policies;

import dev.forge.economy.ledger.TransferCode;

/**
 * What a spend pays for. Its {@link #code()} is the text the safety store (in an approval) and
 * the audit log keep, so it never changes; its {@link #transferCode()} is the reason its ledger
 * hold records. A new kind of spend is a new constant, never a free-form string.
 */
public enum SpendAction {
    /** Inference, paid by a signed trade on the hold. */
    CHAT("chat", TransferCode.TRADE),
    /** CU put into the lending pool. */
    LEND("lend", TransferCode.DEPOSIT),
    /** The collateral locked for a loan. */
    BORROW("borrow", TransferCode.COLLATERAL),
    /** A loan's repayment, shared among its lenders. */
    REPAY("repay", TransferCode.REPAYMENT);

    private final String code;
    private final int transferCode;

    SpendAction(String code, int transferCode) {
        this.code = code;
        this.transferCode = transferCode;
    }

    /** The text that stands for this action in the safety store and the audit log. */
    public String code() {
        return code;
    }

    /** The {@link TransferCode} of the ledger hold a spend of this action places. */
    public int transferCode() {
        return transferCode;
    }

    /** The action a stored code stands for; a code no action has means the record is corrupt. */
    public static SpendAction fromCode(String code) {
        for (SpendAction action : values()) if (action.code.equals(code)) return action;
        throw new IllegalStateException("unknown spend action code " + code);
    }
}
