package dev.forge.economy.market;

/**
 * Demand against capacity, smoothed. Tokens are counted per period of ledger time; when a
 * period closes, its utilization (tokens ÷ capacity, in ppm, at most 10.0) moves the smoothed
 * value a fixed share of the way (an exponential moving average). Periods without trades close
 * with a sample of zero, so idleness lowers it. Periods count from a fixed origin and a read only
 * closes periods that have ended, so when it is read does not matter: the same trades give the
 * same value.
 */
final class UtilizationMeter {
    private static final long MAX_SAMPLE_PPM = 10 * MarketConfig.PPM;
    private static final int MAX_CATCH_UP = 64; // after 64 idle periods the average is 0 anyway at shift ≥ 1

    private final MarketConfig config;
    private long period;
    private long tokens;
    private long utilizationPpm;

    /**
     * @param originMillis when counting starts: the ledger's creation, so that every market over it agrees
     * @param startPpm the utilization before any evidence
     */
    UtilizationMeter(MarketConfig config, long originMillis, long startPpm) {
        this.config = config;
        this.period = originMillis / config.periodMillis();
        this.utilizationPpm = startPpm;
    }

    /** Counts tokens traded at {@code timestamp} against a capacity per period. */
    void record(long timestamp, long count, long capacityPerPeriod) {
        advance(timestamp, capacityPerPeriod);
        tokens = Math.addExact(tokens, count);
    }

    /** The smoothed utilization with every period before {@code timestamp} closed. */
    long utilizationPpm(long timestamp, long capacityPerPeriod) {
        advance(timestamp, capacityPerPeriod);
        return utilizationPpm;
    }

    private long sample(long capacityPerPeriod) {
        if (capacityPerPeriod <= 0) return tokens > 0 ? MAX_SAMPLE_PPM : 0;
        if (tokens >= MAX_SAMPLE_PPM / MarketConfig.PPM * capacityPerPeriod) return MAX_SAMPLE_PPM;
        return tokens * MarketConfig.PPM / capacityPerPeriod;
    }

    private void advance(long timestamp, long capacityPerPeriod) {
        long now = timestamp / config.periodMillis();
        for (int closed = 0; period < now && closed < MAX_CATCH_UP; closed++) {
            utilizationPpm += Math.floorDiv(sample(capacityPerPeriod) - utilizationPpm, 1L << config.emaShift());
            tokens = 0;
            period++;
        }
        if (period < now) {
            utilizationPpm = 0;
            period = now;
        }
    }
}
