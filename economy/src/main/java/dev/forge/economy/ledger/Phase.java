package dev.forge.economy.ledger;

/** The four kinds of transfer of a two-phase ledger (TigerBeetle's flags, as one field). */
public enum Phase {
    /** Moves the amount at once. */
    SINGLE,
    /** Reserves the amount (a hold): pending debit and credit until posted, voided or expired. */
    PENDING,
    /** Posts a hold, for at most its amount; the rest returns to the debit account. */
    POST,
    /** Releases a hold entirely. */
    VOID
}
