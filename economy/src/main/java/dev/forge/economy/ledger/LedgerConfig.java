package dev.forge.economy.ledger;

import java.time.InstantSource;

/**
 * How a ledger runs.
 *
 * @param clock ledger time; tests pass a clock they control
 * @param freeTierAmount µCU granted once per identity to a new agent account
 * @param maxBatch most commands in one group commit
 * @param queueCapacity most commands waiting for the writer; submitters block beyond it
 * @param expiryCheckMillis how often an idle writer looks for holds to expire
 */
public record LedgerConfig(InstantSource clock, long freeTierAmount, int maxBatch, int queueCapacity,
                           long expiryCheckMillis) {
    public static final long DEFAULT_FREE_TIER = 1_000 * Limits.MICRO_PER_CU;

    public LedgerConfig {
        if (clock == null) throw new IllegalArgumentException("clock is required");
        if (freeTierAmount < 0 || freeTierAmount > Limits.MAX_AMOUNT) throw new IllegalArgumentException("free tier out of range");
        if (maxBatch < 1 || maxBatch > 65_536) throw new IllegalArgumentException("maxBatch must be 1 to 65536");
        if (queueCapacity < maxBatch) throw new IllegalArgumentException("queue must hold at least one batch");
        if (expiryCheckMillis < 1) throw new IllegalArgumentException("expiry check must be at least 1 ms");
    }

    public static LedgerConfig defaults() {
        return new LedgerConfig(InstantSource.system(), DEFAULT_FREE_TIER, 4_096, 65_536, 50);
    }

    public LedgerConfig withClock(InstantSource clock) {
        return new LedgerConfig(clock, freeTierAmount, maxBatch, queueCapacity, expiryCheckMillis);
    }

    public LedgerConfig withFreeTier(long amount) {
        return new LedgerConfig(clock, amount, maxBatch, queueCapacity, expiryCheckMillis);
    }
}
