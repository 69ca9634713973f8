package dev.forge.economy.market;

/**
 * A tier's price now: base × factor, where the factor is 0.5 + the smoothed utilization,
 * within bounds.
 *
 * @param capacityTokensPerMinute what the offers of this tier can serve together
 */
public record TierPrice(ModelTier tier, long basePerKiloToken, long utilizationPpm, long factorPpm,
                        long pricePerKiloToken, long capacityTokensPerMinute) {
}
