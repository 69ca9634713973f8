package dev.forge.economy.ledger;

/** Where an accepted work order stands. It leaves OPEN exactly once. */
public enum WorkStatus {
    /** Its hold is pending: an attestation may still settle it. */
    OPEN,
    /** A verified attestation paid the provider and released the rest. */
    SETTLED,
    /** {@code voidWork} released the hold. */
    VOIDED,
    /** The order's time ran out and its hold expired. */
    EXPIRED
}
