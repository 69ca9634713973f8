package dev.forge.policies;

/**
 * When a model's circuit breaker opens: after {@code failureRatio} of the last
 * {@code requestVolumeThreshold} inference calls failed. It stays open for {@code delayMillis},
 * then lets trial calls through; {@code successThreshold} successes close it again.
 */
public record BreakerPolicy(int requestVolumeThreshold, double failureRatio, long delayMillis, int successThreshold) {
    public static final BreakerPolicy DEFAULT = new BreakerPolicy(4, 0.5, 30_000, 1);

    public BreakerPolicy {
        if (requestVolumeThreshold < 1 || failureRatio <= 0 || failureRatio > 1 || delayMillis < 1 || successThreshold < 1) {
            throw new IllegalArgumentException("breaker settings out of range");
        }
    }
}
