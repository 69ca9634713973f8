package dev.forge.node;

/** The node cannot start, for a reason told in one line (the launcher prints it as it is). */
public final class NodeStartException extends RuntimeException {
    public NodeStartException(String message) {
        super(message);
    }

    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
