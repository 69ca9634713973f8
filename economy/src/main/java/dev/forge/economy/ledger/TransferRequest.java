package dev.forge.economy.ledger;

import java.nio.charset.StandardCharsets;

/**
 * What a caller asks the ledger to do with money. Build one with the factories.
 *
 * @param key caller-chosen idempotency key, 1 to 128 UTF-8 bytes: a retry with the same key and
 *     fields returns the first transfer; the same key with other fields is refused
 * @param debitAccount the payer; for POST and VOID, empty (taken from the hold)
 * @param creditAccount the payee; for POST and VOID, empty (taken from the hold)
 * @param amount µCU; for POST at most the hold's amount, for VOID zero
 * @param pendingId the hold to post or void; zero otherwise
 * @param timeoutMillis for PENDING only: the hold expires this long after it is placed
 * @param code what the money is for (see {@link TransferCode}); recorded, not interpreted
 */
public record TransferRequest(
        String key,
        Phase phase,
        String debitAccount,
        String creditAccount,
        long amount,
        long pendingId,
        long timeoutMillis,
        int code) {

    public TransferRequest {
        LedgerException.require(phase != null, LedgerError.INVALID_ARGUMENT, "phase is required");
        validateKey(key);
        debitAccount = debitAccount == null ? "" : debitAccount;
        creditAccount = creditAccount == null ? "" : creditAccount;
        switch (phase) {
            case SINGLE, PENDING -> validateMovement(debitAccount, creditAccount, amount, pendingId);
            case POST -> validateResolution(debitAccount, creditAccount, pendingId, amount > 0,
                    "a post needs a positive amount, at most the hold's");
            case VOID -> validateResolution(debitAccount, creditAccount, pendingId, amount == 0,
                    "a void carries no amount");
        }
        boolean pending = phase == Phase.PENDING;
        LedgerException.require(pending ? timeoutMillis > 0 && timeoutMillis <= Limits.MAX_HOLD_TIMEOUT_MILLIS
                        : timeoutMillis == 0, LedgerError.INVALID_TIMEOUT,
                pending ? "a hold needs a timeout between 1 ms and 24 h, got " + timeoutMillis
                        : "only a hold has a timeout");
        LedgerException.require(code >= 0, LedgerError.INVALID_ARGUMENT, "code must not be negative");
    }

    public static TransferRequest single(String key, String debit, String credit, long amount, int code) {
        return new TransferRequest(key, Phase.SINGLE, debit, credit, amount, 0, 0, code);
    }

    public static TransferRequest hold(String key, String debit, String credit, long amount, long timeoutMillis, int code) {
        return new TransferRequest(key, Phase.PENDING, debit, credit, amount, 0, timeoutMillis, code);
    }

    public static TransferRequest post(String key, long pendingId, long amount) {
        return new TransferRequest(key, Phase.POST, "", "", amount, pendingId, 0, 0);
    }

    public static TransferRequest voidHold(String key, long pendingId) {
        return new TransferRequest(key, Phase.VOID, "", "", 0, pendingId, 0, 0);
    }

    private static void validateKey(String key) {
        LedgerException.require(key != null && !key.isBlank(), LedgerError.INVALID_IDEMPOTENCY_KEY,
                "an idempotency key is required");
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        LedgerException.require(bytes <= Limits.MAX_KEY_BYTES, LedgerError.INVALID_IDEMPOTENCY_KEY,
                "idempotency key is " + bytes + " bytes, the limit is " + Limits.MAX_KEY_BYTES);
    }

    private static void validateMovement(String debit, String credit, long amount, long pendingId) {
        LedgerException.require(AccountSpec.validId(debit), LedgerError.INVALID_ACCOUNT_ID,
                "debit account id is invalid: " + Limits.quote(debit));
        LedgerException.require(AccountSpec.validId(credit), LedgerError.INVALID_ACCOUNT_ID,
                "credit account id is invalid: " + Limits.quote(credit));
        LedgerException.require(!debit.equals(credit), LedgerError.ACCOUNTS_MUST_BE_DIFFERENT,
                "debit and credit account are both " + debit);
        validateAmount(amount);
        LedgerException.require(pendingId == 0, LedgerError.INVALID_ARGUMENT, "only a post or void names a hold");
    }

    private static void validateResolution(String debit, String credit, long pendingId, boolean amountOk, String rule) {
        LedgerException.require(debit.isEmpty() && credit.isEmpty(), LedgerError.INVALID_ARGUMENT,
                "a post or void takes its accounts from the hold; leave them empty");
        LedgerException.require(pendingId > 0, LedgerError.PENDING_TRANSFER_NOT_FOUND, "a post or void must name a hold");
        LedgerException.require(amountOk, LedgerError.INVALID_ARGUMENT, rule);
    }

    static void validateAmount(long amount) {
        LedgerException.require(amount > 0, LedgerError.AMOUNT_MUST_BE_POSITIVE, "amount must be positive, got " + amount);
        LedgerException.require(amount <= Limits.MAX_AMOUNT, LedgerError.AMOUNT_TOO_LARGE,
                "amount " + amount + " µCU is above the limit of " + Limits.MAX_AMOUNT);
    }
}
