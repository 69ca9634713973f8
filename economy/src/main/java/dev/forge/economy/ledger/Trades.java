package dev.forge.economy.ledger;

/** Checks shared by the trade records. */
final class Trades {
    private Trades() {}

    static void require(boolean condition, String message) {
        require(condition, LedgerError.MALFORMED_TRADE, message);
    }

    static void require(boolean condition, LedgerError error, String message) {
        if (!condition) throw new LedgerException(error, message);
    }

    static void requireAccountId(String id, String role) {
        require(AccountSpec.validId(id), role + " account id is invalid: " + Limits.quote(id));
    }
}
