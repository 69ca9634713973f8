package dev.forge.economy.ledger;

/** A refused request: a stable {@link LedgerError} and a sentence a person understands. */
public class LedgerException extends RuntimeException {
    private final LedgerError error;

    public LedgerException(LedgerError error, String message) {
        super(message);
        this.error = error;
    }

    public LedgerError error() {
        return error;
    }

    static void require(boolean condition, LedgerError error, String message) {
        if (!condition) throw new LedgerException(error, message);
    }

    @Override
    public String toString() {
        return error.code() + ": " + getMessage();
    }
}
