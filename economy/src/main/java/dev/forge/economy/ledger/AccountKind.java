package dev.forge.economy.ledger;

/** What an account is for; the kind decides whether it may go below zero. */
public enum AccountKind {
    /** Issues every CU in existence; the only account whose balance may be negative. */
    TREASURY,
    /** Collects the node's fees. */
    FEES,
    /** An AI agent that buys inference. */
    AGENT,
    /** A seller of inference (a node or a model on it). */
    PROVIDER,
    /** The lending pool. */
    POOL,
    /** Holds what is locked for someone else, such as loan collateral. */
    ESCROW;

    /** TigerBeetle's {@code debits_must_not_exceed_credits}, for every kind but the treasury. */
    public boolean mustNotOverdraw() {
        return this != TREASURY;
    }
}
