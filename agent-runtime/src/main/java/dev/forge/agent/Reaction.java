package dev.forge.agent;

import java.util.Set;

/** What a refusal makes the agent do, by the node's stable code (docs/mcp.md). */
public enum Reaction {
    /** Look again after a pause: the condition passes (kill switch, velocity, the hour's budget, a tripped breaker). */
    WAIT,
    /** Record the approval id, wait for the operator, and call again with it. */
    AWAIT_APPROVAL,
    /** Rule the offer (or the step) out for this task and choose again: it costs too much or is not there. */
    DOWNGRADE,
    /** Give this step up for this task: it was wrong as asked. */
    DROP,
    /** End the run: nothing the agent can change will make the node say yes. */
    STOP;

    private static final Set<String> WAITS = Set.of("kill_switch", "velocity", "budget_hour", "circuit_open", "queue_full",
            "policy_unavailable", "pool_reserve", "engine_failure", Refusal.UNREACHABLE);
    private static final Set<String> DOWNGRADES = Set.of("budget_request", "insufficient_funds", "no_offer", "no_route",
            "unknown_provider", "unknown_model", "price_above_max", "prompt_too_long");
    private static final Set<String> STOPS = Set.of("budget_lifetime", "unauthorized", "key_exists", "unknown_account",
            "key_not_registered");

    public static Reaction to(String code) {
        if (code.equals("approval_required")) return AWAIT_APPROVAL;
        if (WAITS.contains(code)) return WAIT;
        if (DOWNGRADES.contains(code)) return DOWNGRADE;
        if (STOPS.contains(code)) return STOP;
        return DROP;
    }
}
