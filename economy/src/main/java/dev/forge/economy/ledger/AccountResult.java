package dev.forge.economy.ledger;

/**
 * The answer to opening an account.
 *
 * @param created false when the same account already existed (an idempotent retry)
 * @param freeTierGranted true when this call granted the free tier
 */
public record AccountResult(Account account, boolean created, boolean freeTierGranted) {}
