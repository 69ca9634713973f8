package dev.forge.agent;

/** Why the agent cannot start or go on: a stable code and one sentence. */
public final class AgentException extends RuntimeException {
    private final String code;

    public AgentException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
