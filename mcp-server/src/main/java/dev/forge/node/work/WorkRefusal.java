package dev.forge.node.work;

import dev.forge.node.app.CallRefused;

/**
 * The codes the work calls refuse with, besides the ledger's and the verifier's own
 * ({@code order_expired}, {@code amount_exceeds_order}, ...), which pass through unchanged.
 * docs/work.md says when each happens.
 */
enum WorkRefusal {
    INVALID_ARGUMENT,
    UNAUTHORIZED,
    KEY_NOT_REGISTERED,
    KEY_EXISTS,
    KEY_PROOF_INVALID,
    WRONG_BUYER,
    INVALID_SIGNATURE,
    INPUT_MISMATCH,
    EVAL_INPUT_INVALID,
    WRONG_AUDIENCE,
    UNKNOWN_PROVIDER,
    NO_OFFER,
    KIND_NOT_OFFERED,
    MALFORMED_WORK_RECORD,
    WORK_ORDER_NOT_FOUND,
    WORK_ORDER_CLOSED,
    WORK_ORDER_NOT_SETTLED,
    ORDER_TAKEN,
    ORDER_NOT_TAKEN,
    WRONG_PROVIDER,
    ACCOUNTS_MUST_BE_DIFFERENT;

    String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    CallRefused refuse(String message) {
        return new CallRefused(code(), message);
    }

    static void require(boolean condition, WorkRefusal refusal, String message) {
        if (!condition) throw refusal.refuse(message);
    }
}
