package dev.forge.policies;

import java.util.Locale;

/** Why a spend or an action was not allowed; the codes of the design's section 7. */
public enum Refusal {
    KILL_SWITCH,
    BUDGET_REQUEST,
    BUDGET_HOUR,
    BUDGET_LIFETIME,
    VELOCITY,
    CIRCUIT_OPEN,
    APPROVAL_REQUIRED,
    APPROVAL_DENIED,
    /** A resume whose request is not the one approved (another action, payee, amount or arguments). */
    APPROVAL_MISMATCH,
    /** A resume of an approval whose spend was already resumed once. */
    APPROVAL_USED,
    POLICY_UNAVAILABLE,
    INSUFFICIENT_FUNDS,
    INVALID_ARGUMENT,
    UNAUTHORIZED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
