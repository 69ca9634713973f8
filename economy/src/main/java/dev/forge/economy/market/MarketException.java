package dev.forge.economy.market;

import java.util.Locale;

/** A market request refused, with a stable code and a plain reason; nothing changed. */
public final class MarketException extends RuntimeException {
    public enum Code {
        INVALID_ARGUMENT,
        NO_OFFER,
        NOT_A_PROVIDER,
        NO_ROUTE,
        POOL_EMPTY,
        POOL_RESERVE,
        LOAN_TOO_LARGE,
        TERM_TOO_LONG,
        COLLATERAL_TOO_LOW,
        CREDIT_TOO_LOW,
        NOT_YOUR_LOAN,
        LOAN_CLOSED,
        REPAYMENT_TOO_LARGE,
        NOT_LENT_OUT,
        INSUFFICIENT_FUNDS,
        UNKNOWN_ACCOUNT;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Code code;

    public MarketException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public static void require(boolean condition, Code code, String message) {
        if (!condition) throw new MarketException(code, message);
    }
}
