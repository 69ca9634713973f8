package dev.forge.policies;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.util.List;
import java.util.Map;

/** What an agent (or the operator) sees of the safety layer: limits, usage, and what is frozen. */
public record SafetyStatus(KillState kill, String agent, BudgetPolicy policy, long spentLastHour, long spentLifetime,
                           boolean velocityTripped, long velocityTrippedUntil, Map<String, CircuitBreakerState> breakers,
                           List<Approval> pendingApprovals) {}
