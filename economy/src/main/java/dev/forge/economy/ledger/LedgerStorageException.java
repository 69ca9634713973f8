package dev.forge.economy.ledger;

/** The ledger's file cannot be used; the file is left as it is for an operator to inspect. */
public final class LedgerStorageException extends RuntimeException {
    public enum Reason {
        /** Another process (or this one) has the ledger open. */
        IN_USE,
        /** The file is not a ledger, or its records or invariants do not check. */
        CORRUPT,
        /** The file or folder cannot be read or written. */
        UNREADABLE
    }

    private final Reason reason;

    public LedgerStorageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
