package dev.forge.policies;

/**
 * How fast an agent may spend: more than {@code maxSpends} spends, or more than
 * {@code maxAmount} µCU, within any sliding minute trips the agent's breaker for
 * {@code coolDownMillis} (or until the operator resets it).
 */
public record VelocityPolicy(int maxSpends, long maxAmount, long coolDownMillis) {
    public static final VelocityPolicy DEFAULT = new VelocityPolicy(60, 100_000_000L, 5 * 60_000L);

    public VelocityPolicy {
        if (maxSpends < 1 || maxAmount < 1 || coolDownMillis < 1) {
            throw new IllegalArgumentException("velocity limits must be positive");
        }
    }
}
