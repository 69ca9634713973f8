package dev.forge.economy.ledger;

/**
 * The sums that must always balance, and how far they are from doing so.
 *
 * @param issued what the treasury has issued in posted CU (its posted debits minus credits)
 */
public record Invariants(
        long accounts,
        long debitsPending,
        long creditsPending,
        long debitsPosted,
        long creditsPosted,
        long issued,
        long overdrawnAccounts) {

    public boolean hold() {
        return debitsPending == creditsPending && debitsPosted == creditsPosted && overdrawnAccounts == 0;
    }

    public void check() {
        if (!hold()) throw new IllegalStateException("ledger invariants broken: " + this);
    }
}
