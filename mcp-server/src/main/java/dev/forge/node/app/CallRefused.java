package dev.forge.node.app;

/**
 * A call refused before it did anything, on any surface: a stable code and a sentence a person
 * understands. The application layer throws it; {@code Refused} maps it for MCP, REST and OpenAI.
 */
public final class CallRefused extends RuntimeException {
    private final String code;

    public CallRefused(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static CallRefused invalid(String message) {
        return new CallRefused("invalid_argument", message);
    }
}
