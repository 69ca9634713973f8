package dev.forge.policies;

import java.time.InstantSource;
import java.util.function.Predicate;

/**
 * How the pipeline runs.
 *
 * @param holdTimeoutMillis how long an allowed spend's hold lives (its work must finish by then)
 * @param approvalTimeoutMillis how long a held spend waits for a human before it expires
 * @param modelFault which inference failures count against a model's circuit breaker (the
 *     node passes the inference module's test, so that a caller's mistake never opens one)
 */
public record PipelineConfig(InstantSource clock, VelocityPolicy velocity, BreakerPolicy breakers,
                             long holdTimeoutMillis, long approvalTimeoutMillis, Predicate<Throwable> modelFault) {
    public PipelineConfig {
        if (clock == null || velocity == null || breakers == null || modelFault == null) {
            throw new IllegalArgumentException("missing setting");
        }
        if (holdTimeoutMillis < 1 || approvalTimeoutMillis < 1) throw new IllegalArgumentException("timeouts must be positive");
        if (holdTimeoutMillis + approvalTimeoutMillis > dev.forge.economy.ledger.Limits.MAX_HOLD_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("hold and approval time together must fit in a day");
        }
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(InstantSource.system(), VelocityPolicy.DEFAULT, BreakerPolicy.DEFAULT,
                10 * 60_000L, 15 * 60_000L, failure -> true);
    }

    public PipelineConfig withClock(InstantSource clock) {
        return new PipelineConfig(clock, velocity, breakers, holdTimeoutMillis, approvalTimeoutMillis, modelFault);
    }

    public PipelineConfig withVelocity(VelocityPolicy velocity) {
        return new PipelineConfig(clock, velocity, breakers, holdTimeoutMillis, approvalTimeoutMillis, modelFault);
    }

    public PipelineConfig withBreakers(BreakerPolicy breakers) {
        return new PipelineConfig(clock, velocity, breakers, holdTimeoutMillis, approvalTimeoutMillis, modelFault);
    }

    public PipelineConfig withModelFault(Predicate<Throwable> modelFault) {
        return new PipelineConfig(clock, velocity, breakers, holdTimeoutMillis, approvalTimeoutMillis, modelFault);
    }
}
