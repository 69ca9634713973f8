package dev.forge.policies;

/**
 * Why a spend or an action was not allowed; the codes of the design's section 7. Each has a
 * fixed {@link #code()}: the text the audit log stores and every surface shows, never derived
 * from the constant's name, so renaming a constant changes no file and no client.
 */
public enum Refusal {
    KILL_SWITCH("kill_switch"),
    BUDGET_REQUEST("budget_request"),
    BUDGET_HOUR("budget_hour"),
    BUDGET_LIFETIME("budget_lifetime"),
    VELOCITY("velocity"),
    CIRCUIT_OPEN("circuit_open"),
    APPROVAL_REQUIRED("approval_required"),
    APPROVAL_DENIED("approval_denied"),
    /** A resume whose request is not the one approved (another action, payee, amount or arguments). */
    APPROVAL_MISMATCH("approval_mismatch"),
    /** A resume of an approval whose spend was already resumed once. */
    APPROVAL_USED("approval_used"),
    POLICY_UNAVAILABLE("policy_unavailable"),
    INSUFFICIENT_FUNDS("insufficient_funds"),
    INVALID_ARGUMENT("invalid_argument"),
    UNAUTHORIZED("unauthorized");

    private final String code;

    Refusal(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The refusal a stored or received code stands for; an unknown code is refused, never guessed. */
    public static Refusal fromCode(String code) {
        for (Refusal refusal : values()) if (refusal.code.equals(code)) return refusal;
        throw new IllegalArgumentException("unknown refusal code " + code);
    }
}
