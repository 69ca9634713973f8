package dev.forge.economy.market;

/**
 * A provider's reputation, from evidence in the ledger alone.
 *
 * <p>A trade is good when both signatures verify against the accounts' keys and the trade's
 * leaf is proven included under the ledger's Merkle root. A trade request that failed is a
 * hold paid towards the provider that was voided or expired instead of settled. The score is
 * the share of good outcomes with a prior of five good and five bad ones:
 * {@code 1000 × (good + 5) ÷ (trades + failed + 10)}. A new provider starts at 500, the middle;
 * volume is confidence, moving the score away from the middle as evidence grows.
 *
 * @param volume µCU earned in good trades
 */
public record Reputation(String provider, long trades, long good, long failed, long volume) {
    public static final int PRIOR = 5;

    public int score() {
        return (int) (1000 * (good + PRIOR) / (trades + failed + 2L * PRIOR));
    }

    Reputation withTrade(boolean verified, long amount) {
        return new Reputation(provider, trades + 1, verified ? good + 1 : good, failed, verified ? volume + amount : volume);
    }

    Reputation withFailure() {
        return new Reputation(provider, trades, good, failed + 1, volume);
    }
}
