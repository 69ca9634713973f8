package dev.forge.economy.market;

import dev.forge.economy.work.VerificationRate;

/**
 * An offer as agents see it: its price now, the provider's reputation and its load.
 *
 * @param pricePerKiloToken the higher of the tier's market price and the provider's floor
 * @param reputation 0 to 1,000; see {@link Reputation}
 * @param loadPpm the provider's own smoothed utilization (1,000,000 = serving at capacity)
 * @param verification the provider's verification rate now, as the market's source states it
 */
public record ProviderView(Offer offer, long pricePerKiloToken, int reputation, long loadPpm, VerificationRate verification) {
    public ProviderView(Offer offer, long pricePerKiloToken, int reputation, long loadPpm) {
        this(offer, pricePerKiloToken, reputation, loadPpm, VerificationRate.none());
    }
}
