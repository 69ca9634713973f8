package dev.forge.inference;

import java.util.concurrent.Callable;

/**
 * Runs every generation of a model, so that a node can put a circuit breaker around it
 * (the policies module's {@code InferenceBreakers::call} fits). A guard may refuse by
 * throwing; whatever the generation throws passes through it.
 */
@FunctionalInterface
public interface InferenceGuard {
    InferenceGuard NONE = (model, generation) -> generation.call();

    Completion run(String model, Callable<Completion> generation) throws Exception;

    /** Whether a failure is the model's fault (and so should count against its breaker), not the caller's. */
    static boolean isModelFault(Throwable failure) {
        return !(failure instanceof InferenceException e) || e.code() == InferenceException.Code.ENGINE_FAILURE;
    }
}
