package dev.forge.grid;

/**
 * One way to run the same chat, timed against the others in one run: {@link ChatOverhead}'s
 * in-process paths and {@link RemoteChatOverhead}'s chats over a node's {@code /v1}, local or
 * bought from another node.
 */
interface CrossNodeChat {
    /** The row's name in the results. */
    String name();

    /** Runs one greedy chat of at most {@code tokens} tokens; returns what it made. */
    Chat chat(String prompt, int tokens);

    /**
     * What one chat made: its pieces of text (streamed pieces, or 1 for a whole answer), its
     * completion tokens and, when it streamed, nanoseconds from the request to the first piece (else -1).
     */
    record Chat(int pieces, int tokens, long firstPieceNanos) {}
}
