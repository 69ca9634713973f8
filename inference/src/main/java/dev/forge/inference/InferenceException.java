package dev.forge.inference;

import java.util.Locale;

/** A request the engine will not run, or a run that failed: a stable code and a plain sentence. */
public final class InferenceException extends RuntimeException {
    public enum Code {
        UNKNOWN_MODEL,
        NOT_A_MODEL,
        INVALID_ARGUMENT,
        PROMPT_TOO_LONG,
        QUEUE_FULL,
        DOWNLOAD_FAILED,
        ENGINE_FAILURE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Code code;

    public InferenceException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public InferenceException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public static void require(boolean condition, Code code, String message) {
        if (!condition) throw new InferenceException(code, message);
    }
}
