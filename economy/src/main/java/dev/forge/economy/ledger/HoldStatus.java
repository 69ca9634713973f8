package dev.forge.economy.ledger;

/** Where a hold (a {@link Phase#PENDING} transfer) stands. It leaves PENDING exactly once. */
public enum HoldStatus {
    PENDING,
    POSTED,
    VOIDED,
    EXPIRED
}
