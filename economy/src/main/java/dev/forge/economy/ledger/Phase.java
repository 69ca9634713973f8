package dev.forge.economy.ledger;

import dev.forge.economy.codec.MalformedEncodingException;

/**
 * The four kinds of transfer of a two-phase ledger (TigerBeetle's flags, as one field). Each
 * has a fixed {@link #code()}, the byte the journal stores; codes are never reused or changed.
 */
public enum Phase {
    /** Moves the amount at once. */
    SINGLE(0),
    /** Reserves the amount (a hold): pending debit and credit until posted, voided or expired. */
    PENDING(1),
    /** Posts a hold, for at most its amount; the rest returns to the debit account. */
    POST(2),
    /** Releases a hold entirely. */
    VOID(3);

    private final int code;

    Phase(int code) {
        this.code = code;
    }

    /** The byte that stands for this phase in the journal. */
    public int code() {
        return code;
    }

    /** The phase a stored byte stands for; a byte no phase has means the bytes are corrupt. */
    public static Phase fromCode(int code) {
        for (Phase phase : values()) if (phase.code == code) return phase;
        throw new MalformedEncodingException("unknown phase code " + code);
    }
}
