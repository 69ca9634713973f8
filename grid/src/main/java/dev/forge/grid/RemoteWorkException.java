package dev.forge.grid;

/** Remote work refused or failed, with its stable code. */
public final class RemoteWorkException extends RuntimeException {
    private final RemoteRefusal refusal;

    public RemoteWorkException(RemoteRefusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public RemoteRefusal refusal() {
        return refusal;
    }

    public static void require(boolean condition, RemoteRefusal refusal, String message) {
        if (!condition) throw new RemoteWorkException(refusal, message);
    }
}
