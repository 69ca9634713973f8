package dev.forge.grid;

/**
 * One way to run the same chat, timed by {@link ChatOverhead}. The hook for remote work: when a
 * node can relay a chat to another node over NATS, its path is one more implementation here
 * (node A's chat answered by node B's engine), timed against {@code local} in the same run.
 */
interface CrossNodeChat {
    /** The row's name in the results. */
    String name();

    /** Runs one greedy chat of {@code tokens} tokens; returns the pieces of text it streamed. */
    int chat(String prompt, int tokens);
}
