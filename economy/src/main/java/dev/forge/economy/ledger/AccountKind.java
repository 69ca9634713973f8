package dev.forge.economy.ledger;

import dev.forge.economy.codec.MalformedEncodingException;

/**
 * What an account is for; the kind decides whether it may go below zero. Each kind has a
 * fixed {@link #code()}, the byte the journal stores: a new kind takes a new code, and no
 * code is ever reused or changed, whatever the order of the constants.
 */
public enum AccountKind {
    /** Issues every CU in existence; its balance, like a {@link #PEER}'s, may be negative. */
    TREASURY(0),
    /** Collects the node's fees. */
    FEES(1),
    /** An AI agent that buys inference. */
    AGENT(2),
    /** A seller of inference (a node or a model on it). */
    PROVIDER(3),
    /** The lending pool. */
    POOL(4),
    /** Holds what is locked for someone else, such as loan collateral. */
    ESCROW(5),
    /**
     * Another grid node, named {@code peer:<its node id>} with that node's key: the seller of
     * work bought from it, and the payer of work it bought here, so its balance may go negative
     * (what it owes this node, like a receivable). No token authorizes it (docs/grid.md).
     */
    PEER(6);

    private final int code;

    AccountKind(int code) {
        this.code = code;
    }

    /** The byte that stands for this kind in the journal. */
    public int code() {
        return code;
    }

    /** The kind a stored byte stands for; a byte no kind has means the bytes are corrupt. */
    public static AccountKind fromCode(int code) {
        for (AccountKind kind : values()) if (kind.code == code) return kind;
        throw new MalformedEncodingException("unknown account kind code " + code);
    }

    /** TigerBeetle's {@code debits_must_not_exceed_credits}, for every kind but the treasury and a peer node. */
    public boolean mustNotOverdraw() {
        return this != TREASURY && this != PEER;
    }
}
