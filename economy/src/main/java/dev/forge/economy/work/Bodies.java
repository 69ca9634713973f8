package dev.forge.economy.work;

import java.util.Optional;

/**
 * Where a chain's input and output bodies can be fetched now, by the SHA-256 of their bytes:
 * for a provider, its body server ({@code {bodies_url}/{hex digest}}); for a node, its own store.
 * The node fills it; the checks only ask.
 */
public interface Bodies {
    /** The largest body a check fetches; a larger one is treated as gone. */
    int MAX_BODY_BYTES = 16 << 20;

    /**
     * @return the bytes stored under {@code digest}, or empty when the source answers that it has
     *     none (gone, e.g. HTTP 404)
     * @throws Unreachable when the source gave no answer: that proves nothing about the body
     */
    Optional<byte[]> fetch(byte[] digest) throws Unreachable;

    /** The source could not be asked: a network error, a timeout, a 5xx. */
    final class Unreachable extends Exception {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }

        public Unreachable(String message) {
            super(message);
        }
    }
}
