package dev.forge.policies;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/**
 * An agent's spending limits, in µCU. A spend above {@code approvalThreshold} is held for a
 * human rather than refused.
 *
 * @param maxPerHour over any rolling 60 minutes, not per clock hour
 */
public record BudgetPolicy(long maxPerRequest, long maxPerHour, long maxLifetime, long approvalThreshold) {
    private static final long CU = 1_000_000L;

    /** The node-wide default until the operator sets another. */
    public static final BudgetPolicy DEFAULT = new BudgetPolicy(50 * CU, 200 * CU, 1_000 * CU, 25 * CU);

    public BudgetPolicy {
        PolicyException.require(maxPerRequest > 0 && maxPerHour > 0 && maxLifetime > 0 && approvalThreshold > 0,
                Refusal.INVALID_ARGUMENT, "every limit must be positive");
        PolicyException.require(maxPerRequest <= maxPerHour && maxPerHour <= maxLifetime, Refusal.INVALID_ARGUMENT,
                "limits must nest: per request <= per hour <= lifetime");
        PolicyException.require(maxLifetime <= dev.forge.economy.ledger.Limits.MAX_AMOUNT, Refusal.INVALID_ARGUMENT,
                "lifetime limit is above the largest amount");
    }

    byte[] encode() {
        return new CanonicalWriter(40).string("forge/budget/v1").i64(maxPerRequest).i64(maxPerHour)
                .i64(maxLifetime).i64(approvalThreshold).toByteArray();
    }

    static BudgetPolicy decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!"forge/budget/v1".equals(in.string())) throw new IllegalStateException("unknown budget record");
        return new BudgetPolicy(in.i64(), in.i64(), in.i64(), in.i64());
    }
}
