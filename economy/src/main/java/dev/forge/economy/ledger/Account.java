package dev.forge.economy.ledger;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An account and its four balances, in micro-CU (1 CU = 1,000,000 µCU).
 *
 * <p>An account record is immutable: every change produces a new record in the ledger's
 * state, and only the ledger's writer makes one. Accounts are never deleted.
 *
 * @param publicKey the owner's Ed25519 key (32 bytes), or empty for system accounts
 * @param createdAt ledger time in epoch milliseconds
 */
public record Account(
        String id,
        AccountKind kind,
        byte[] publicKey,
        long createdAt,
        long debitsPending,
        long debitsPosted,
        long creditsPending,
        long creditsPosted) {

    public Account {
        publicKey = publicKey.clone();
    }

    static Account open(AccountSpec spec, long createdAt) {
        return new Account(spec.id(), spec.kind(), spec.publicKey(), createdAt, 0, 0, 0, 0);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public boolean hasPublicKey() {
        return publicKey.length > 0;
    }

    public String publicKeyHex() {
        return HexFormat.of().formatHex(publicKey);
    }

    /** Posted credits minus posted debits. */
    public long balance() {
        return creditsPosted - debitsPosted;
    }

    /** What the account can still spend: the balance less its pending debits (holds). */
    public long available() {
        return creditsPosted - debitsPosted - debitsPending;
    }

    Account withDebitsPending(long value) {
        return new Account(id, kind, publicKey, createdAt, value, debitsPosted, creditsPending, creditsPosted);
    }

    Account withDebitsPosted(long value) {
        return new Account(id, kind, publicKey, createdAt, debitsPending, value, creditsPending, creditsPosted);
    }

    Account withCreditsPending(long value) {
        return new Account(id, kind, publicKey, createdAt, debitsPending, debitsPosted, value, creditsPosted);
    }

    Account withCreditsPosted(long value) {
        return new Account(id, kind, publicKey, createdAt, debitsPending, debitsPosted, creditsPending, value);
    }

    boolean sameKeyAs(byte[] key) {
        return Arrays.equals(publicKey, key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Account a && id.equals(a.id) && kind == a.kind && Arrays.equals(publicKey, a.publicKey)
                && createdAt == a.createdAt && debitsPending == a.debitsPending && debitsPosted == a.debitsPosted
                && creditsPending == a.creditsPending && creditsPosted == a.creditsPosted;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Account[" + id + " " + kind + " balance=" + balance() + " available=" + available()
                + " dp=" + debitsPending + " dP=" + debitsPosted + " cp=" + creditsPending + " cP=" + creditsPosted + "]";
    }
}
