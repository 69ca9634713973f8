package dev.forge.policies;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/**
 * An agent's spending limits, in µCU. A spend above {@code approvalThreshold} is held for a
 * human rather than refused.
 *
 * @param maxPerHour over any rolling 60 minutes, not per clock hour
 * @param attended the operator says a person, not the agent, answers this agent's MCP client,
 *     so the node may ask that client to approve a held spend (elicitation). Off by default:
 *     otherwise an agent would answer yes to itself, and its spends wait for the operator.
 */
public record BudgetPolicy(long maxPerRequest, long maxPerHour, long maxLifetime, long approvalThreshold,
                           boolean attended) {
    private static final long CU = 1_000_000L;
    private static final String V1 = "forge/budget/v1";
    private static final String V2 = "forge/budget/v2";

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

    /** Limits for an agent whose client is not attended by a person. */
    public BudgetPolicy(long maxPerRequest, long maxPerHour, long maxLifetime, long approvalThreshold) {
        this(maxPerRequest, maxPerHour, maxLifetime, approvalThreshold, false);
    }

    byte[] encode() {
        return new CanonicalWriter(48).string(V2).i64(maxPerRequest).i64(maxPerHour)
                .i64(maxLifetime).i64(approvalThreshold).bool(attended).toByteArray();
    }

    static BudgetPolicy decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        String version = in.string();
        if (!V1.equals(version) && !V2.equals(version)) throw new IllegalStateException("unknown budget record");
        return new BudgetPolicy(in.i64(), in.i64(), in.i64(), in.i64(), V2.equals(version) && in.bool());
    }
}
