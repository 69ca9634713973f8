package dev.forge.policies;

/** An action the safety layer will not take: a stable {@link Refusal} and a plain sentence. */
public final class PolicyException extends RuntimeException {
    private final Refusal refusal;

    public PolicyException(Refusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }

    public static void require(boolean condition, Refusal refusal, String message) {
        if (!condition) throw new PolicyException(refusal, message);
    }

    static void requireOperator(Actor actor, String action) {
        require(actor.isOperator(), Refusal.UNAUTHORIZED, "only the operator may " + action + "; " + actor.id() + " is an agent");
    }

    @Override
    public String toString() {
        return refusal.code() + ": " + getMessage();
    }
}
