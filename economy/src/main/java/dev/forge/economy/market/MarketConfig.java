package dev.forge.economy.market;

import dev.forge.economy.ledger.Limits;
import java.util.EnumMap;
import java.util.Map;

/**
 * The market's constants. Prices are µCU per 1,000 tokens; factors and utilizations are parts
 * per million (1,000,000 = 1.0), so every step is integer arithmetic and repeats exactly.
 *
 * @param basePerKiloToken the price of each tier at a factor of 1.0
 * @param periodMillis demand is counted per period of ledger time
 * @param emaShift each closed period moves utilization 1/2^shift of the way to its sample
 * @param startUtilizationPpm utilization before any evidence (gives a factor of 1.0 at 500,000)
 * @param minFactorPpm the lowest factor (idle market)
 * @param maxFactorPpm the highest factor (market far beyond capacity)
 */
public record MarketConfig(Map<ModelTier, Long> basePerKiloToken, long periodMillis, int emaShift,
                           long startUtilizationPpm, long minFactorPpm, long maxFactorPpm) {
    public static final long PPM = 1_000_000;
    public static final MarketConfig DEFAULT = new MarketConfig(Map.of(
            ModelTier.TINY, 1 * Limits.MICRO_PER_CU,
            ModelTier.SMALL, 5 * Limits.MICRO_PER_CU,
            ModelTier.MEDIUM, 20 * Limits.MICRO_PER_CU,
            ModelTier.LARGE, 80 * Limits.MICRO_PER_CU), 60_000, 2, 500_000, 500_000, 3_000_000);

    public MarketConfig {
        basePerKiloToken = Map.copyOf(new EnumMap<>(basePerKiloToken));
        if (basePerKiloToken.size() != ModelTier.values().length) throw new IllegalArgumentException("a base price for every tier");
        long previous = 0;
        for (ModelTier tier : ModelTier.values()) {
            long base = basePerKiloToken.get(tier);
            if (base <= previous) throw new IllegalArgumentException("base prices must grow with the tier");
            previous = base;
        }
        if (periodMillis < 1_000 || emaShift < 0 || emaShift > 8) throw new IllegalArgumentException("period or smoothing out of range");
        if (minFactorPpm < 1 || maxFactorPpm < minFactorPpm || startUtilizationPpm < 0) {
            throw new IllegalArgumentException("factor bounds out of range");
        }
    }

    /** A factor from a utilization: 0.5 + utilization, within the bounds. */
    long factorPpm(long utilizationPpm) {
        return Math.clamp(PPM / 2 + utilizationPpm, minFactorPpm, maxFactorPpm);
    }
}
