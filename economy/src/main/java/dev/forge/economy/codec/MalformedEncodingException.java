package dev.forge.economy.codec;

/** Bytes that are not a canonical encoding of the expected value. */
public final class MalformedEncodingException extends RuntimeException {
    public MalformedEncodingException(String message) {
        super(message);
    }
}
