package dev.forge.economy.ledger;

import java.util.Locale;

/**
 * Why the ledger refused a request. Each code is stable: clients match on {@link #code()}.
 * docs/ledger.md says exactly when each one happens.
 */
public enum LedgerError {
    INVALID_ARGUMENT,
    INVALID_ACCOUNT_ID,
    INVALID_PUBLIC_KEY,
    INVALID_IDEMPOTENCY_KEY,
    AMOUNT_MUST_BE_POSITIVE,
    AMOUNT_TOO_LARGE,
    ACCOUNT_NOT_FOUND,
    ACCOUNT_EXISTS_WITH_DIFFERENT_FIELDS,
    ACCOUNTS_MUST_BE_DIFFERENT,
    INSUFFICIENT_FUNDS,
    OVERFLOW,
    EXISTS_WITH_DIFFERENT_FIELDS,
    PENDING_TRANSFER_NOT_FOUND,
    PENDING_TRANSFER_ALREADY_POSTED,
    PENDING_TRANSFER_ALREADY_VOIDED,
    PENDING_TRANSFER_EXPIRED,
    EXCEEDS_PENDING_AMOUNT,
    INVALID_TIMEOUT,
    LINKED_EVENT_FAILED,
    INVALID_SIGNATURE,
    AUTHORIZATION_EXPIRED,
    NONCE_REUSED,
    AMOUNT_EXCEEDS_AUTHORIZATION,
    TRADE_DOES_NOT_MATCH_HOLD,
    MALFORMED_TRADE,
    WORK_ORDER_NOT_FOUND,
    WORK_ORDER_CLOSED,
    ORDER_EXPIRED,
    INVALID_PROVIDER_ACCOUNT,
    HOLD_BELONGS_TO_WORK_ORDER,
    ORDER_DOES_NOT_MATCH_HOLD,
    MALFORMED_WORK_RECORD,
    ORDER_MISMATCH,
    WRONG_PROVIDER,
    INPUT_MISMATCH,
    MODEL_MISMATCH,
    REPLAY_MISMATCH,
    TOKENS_EXCEED_ORDER,
    AMOUNT_EXCEEDS_ORDER,
    AMOUNT_MISMATCH,
    WRONG_AUDIENCE,
    CHAIN_GAP,
    CHAIN_BROKEN,
    LEDGER_CLOSED,
    LEDGER_FAILED;

    /** The wire form: {@code insufficient_funds}, {@code nonce_reused}, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The error for a wire code, such as a {@code WorkVerifier} check's; each of those has one here. */
    public static LedgerError ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
