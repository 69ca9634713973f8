package dev.forge.node.mcp;

/** A tool call refused before it did anything: a stable code and a sentence a person understands. */
public final class ToolException extends RuntimeException {
    private final String code;

    public ToolException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ToolException invalid(String message) {
        return new ToolException("invalid_argument", message);
    }
}
