package dev.forge.policies;

/**
 * The pipeline's answer to a spend: allowed (the money is held, go ahead), held (the money is
 * held, a human must approve first) or refused (nothing was held; the code says why).
 */
public record Decision(Outcome outcome, Spend spend, Refusal refusal, String reason) {
    public enum Outcome {
        ALLOWED,
        HELD,
        REFUSED
    }

    static Decision allowed(Spend spend) {
        return new Decision(Outcome.ALLOWED, spend, null, "allowed");
    }

    static Decision held(Spend spend, String reason) {
        return new Decision(Outcome.HELD, spend, Refusal.APPROVAL_REQUIRED, reason);
    }

    static Decision refused(Refusal refusal, String reason) {
        return new Decision(Outcome.REFUSED, null, refusal, reason);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
