package dev.forge.node.demo;

/** The demo could not go on; its message is one sentence for the person who ran it. */
public final class DemoException extends RuntimeException {
    public DemoException(String message) {
        super(message);
    }
}
