package dev.forge.economy.ledger;

/** Reasons recorded on transfers. The ledger stores them; reports and the market read them. */
public final class TransferCode {
    public static final int UNSPECIFIED = 0;
    public static final int FREE_TIER = 1;
    public static final int TRADE = 2;
    public static final int FEE = 3;
    public static final int DEPOSIT = 4;
    public static final int WITHDRAWAL = 5;
    public static final int LOAN = 6;
    public static final int REPAYMENT = 7;
    public static final int COLLATERAL = 8;
    public static final int CORRECTION = 9;
    /** A work order's hold, and what its attestation paid. */
    public static final int WORK = 10;
    /** An agent's move between its own two accounts (its account and its key's), {@code move_funds}. */
    public static final int MOVE = 11;

    private TransferCode() {}
}
