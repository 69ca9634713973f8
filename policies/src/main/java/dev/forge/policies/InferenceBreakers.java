package dev.forge.policies;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One circuit breaker per model (SmallRye Fault Tolerance). Inference runs through
 * {@link #call}; when a model keeps failing its breaker opens and callers fail fast with
 * {@code circuit_open} until it half-opens and a trial call succeeds.
 */
public final class InferenceBreakers {

    private final BreakerPolicy policy;
    private final Predicate<Throwable> countsAsFailure;
    // SmallRye keeps breaker names for the JVM, across Quarkus restarts whose fresh class loader
    // would restart a counter: a random prefix never meets another instance's.
    private final String prefix = "forge-" + java.util.UUID.randomUUID() + "-";
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreakerState> states = new ConcurrentHashMap<>();
    private final Map<String, Long> openedAt = new ConcurrentHashMap<>();

    public InferenceBreakers(BreakerPolicy policy) {
        this(policy, failure -> true);
    }

    /**
     * @param countsAsFailure which failures are the model's fault; the others (a prompt too long, a
     *     full queue) pass through without counting. A refusal by the pipeline never counts.
     */
    public InferenceBreakers(BreakerPolicy policy, Predicate<Throwable> countsAsFailure) {
        this.policy = policy;
        this.countsAsFailure = countsAsFailure;
    }

    /** Runs inference for {@code model}; a failure counts against its breaker and is rethrown. */
    public <T> T call(String model, Callable<T> inference, Class<T> type) throws Exception {
        try {
            return guard(model).call(inference, type);
        } catch (CircuitBreakerOpenException e) {
            throw new PolicyException(Refusal.CIRCUIT_OPEN, "model " + model
                    + " failed repeatedly; its circuit breaker is open, retry in a few seconds");
        }
    }

    public CircuitBreakerState state(String model) {
        return states.getOrDefault(model, CircuitBreakerState.CLOSED);
    }

    /**
     * Open and still within its delay. After the delay SmallRye lets the next call through as
     * a trial (half-open), so the pipeline must not keep refusing on its own.
     */
    boolean refusing(String model) {
        Long since = openedAt.get(model);
        return state(model) == CircuitBreakerState.OPEN && since != null
                && System.nanoTime() - since < policy.delayMillis() * 1_000_000L;
    }

    public Map<String, CircuitBreakerState> states() {
        return Map.copyOf(states);
    }

    void reset(Actor actor, String model) {
        PolicyException.requireOperator(actor, "reset a circuit breaker");
        if (guards.containsKey(model)) CircuitBreakerMaintenance.get().reset(prefix + model);
        states.put(model, CircuitBreakerState.CLOSED);
        openedAt.remove(model);
    }

    private Guard guard(String model) {
        return guards.computeIfAbsent(model, name -> Guard.create()
                .withCircuitBreaker()
                .name(prefix + name)
                .requestVolumeThreshold(policy.requestVolumeThreshold())
                .failureRatio(policy.failureRatio())
                .delay(policy.delayMillis(), ChronoUnit.MILLIS)
                .successThreshold(policy.successThreshold())
                .when(failure -> !(failure instanceof PolicyException) && countsAsFailure.test(failure))
                .onStateChange(state -> changed(name, state))
                .done()
                .build());
    }

    private void changed(String model, CircuitBreakerState state) {
        states.put(model, state);
        if (state == CircuitBreakerState.OPEN) openedAt.put(model, System.nanoTime());
    }
}
