package dev.forge.economy.ledger;

/**
 * A transfer the ledger accepted. Immutable and never deleted: a mistake is corrected by
 * another transfer. For POST and VOID the accounts are those of the hold.
 *
 * @param id assigned by the ledger, 1, 2, 3, ... in commit order
 * @param amount for POST the amount posted; for VOID the amount released
 * @param timestamp ledger time (epoch milliseconds) when it was accepted
 */
public record Transfer(
        long id,
        String key,
        Phase phase,
        String debitAccount,
        String creditAccount,
        long amount,
        long pendingId,
        long timeoutMillis,
        int code,
        long timestamp) {

    /** For a hold: when it expires unless posted or voided first. */
    public long expiresAt() {
        return phase == Phase.PENDING ? timestamp + timeoutMillis : 0;
    }
}
