package dev.forge.node.provide;

/** Why the provider cannot go on, or why one call was refused: a stable code and one sentence. */
public final class ProviderException extends RuntimeException {
    private final String code;

    public ProviderException(String code, String message) {
        super(message);
        this.code = code;
    }

    public ProviderException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
