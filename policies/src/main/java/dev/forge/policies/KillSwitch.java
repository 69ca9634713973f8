package dev.forge.policies;

/**
 * Freezes every spend on the node. The flag flips in memory first, so refusals start at
 * once, then the state is persisted; a kill switch that cannot be persisted stays pulled.
 * A reason outside {@link KillState#requireValidReason} is refused before anything changes.
 */
final class KillSwitch {
    private static final String KEY = "kill";
    private final SafetyStore store;
    private volatile KillState state;

    KillSwitch(SafetyStore store) {
        this.store = store;
        byte[] saved = store.get(KEY);
        this.state = saved == null ? KillState.RELEASED : KillState.decode(saved);
    }

    boolean active() {
        return state.active();
    }

    KillState state() {
        return state;
    }

    void activate(Actor actor, String reason, long now) {
        KillState.requireValidReason(reason);
        state = new KillState(true, actor.id(), reason, now);
        store.put(KEY, state.encode());
    }

    void release(Actor actor, String reason, long now) {
        PolicyException.requireOperator(actor, "release the kill switch");
        KillState.requireValidReason(reason);
        var released = new KillState(false, actor.id(), reason, now);
        store.put(KEY, released.encode());
        state = released;
    }
}
