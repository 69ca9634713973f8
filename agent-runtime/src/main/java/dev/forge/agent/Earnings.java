package dev.forge.agent;

/**
 * Where the agent's earnings come from, filled by its caller: {@code forge agent} runs the
 * provider runtime in the same process, serving work orders for the agent's local model, and
 * reports what its deliveries were paid. The agent reads it to know what its key account can
 * spend.
 */
public interface Earnings extends AutoCloseable {
    Earnings NONE = () -> 0;

    /** µCU earned so far in this run (never less than before). */
    long earned();

    @Override
    default void close() {
    }
}
