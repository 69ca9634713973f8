package dev.forge.economy.lending;

import java.math.BigInteger;
import java.util.Map;

/**
 * A loan as the ledger records it. Interest is simple, at a yearly rate, on the principal
 * still owed, and is paid before principal.
 *
 * @param stakes what each lender's pool account put in; repayments and seized collateral are
 *     shared in these proportions
 * @param accruedAt when {@code interestDue} was last brought up to date (the last repayment)
 * @param interestDue interest owed as of {@code accruedAt}, µCU
 */
public record Loan(String id, String borrower, long principal, Map<String, Long> stakes, long collateral, int rateBps,
                   long openedAt, long dueAt, long principalPaid, long interestPaid, long accruedAt, long interestDue,
                   int repayments, Status status) {
    public static final long YEAR_MILLIS = 365 * LendingConfig.DAY;

    public enum Status {
        ACTIVE,
        REPAID,
        DEFAULTED
    }

    public Loan {
        stakes = Map.copyOf(stakes);
    }

    public long principalOwed() {
        return principal - principalPaid;
    }

    /** Interest owed at {@code now}: what was due, plus simple interest on the principal owed since. */
    public long interestOwed(long now) {
        long elapsed = Math.max(0, now - accruedAt);
        BigInteger more = BigInteger.valueOf(principalOwed()).multiply(BigInteger.valueOf(rateBps))
                .multiply(BigInteger.valueOf(elapsed)).divide(BigInteger.valueOf(10_000L * YEAR_MILLIS));
        return Math.addExact(interestDue, more.longValueExact());
    }

    /** Everything owed at {@code now}. */
    public long owed(long now) {
        return status == Status.ACTIVE ? Math.addExact(principalOwed(), interestOwed(now)) : 0;
    }

    Loan withStake(String lender, long amount) {
        var more = new java.util.HashMap<>(stakes);
        more.merge(lender, amount, Long::sum);
        return new Loan(id, borrower, principal + amount, more, collateral, rateBps, openedAt, dueAt, principalPaid,
                interestPaid, accruedAt, interestDue, repayments, status);
    }

    /** A payment at {@code at}: interest first, then principal. */
    Loan withPayment(long amount, long at, int repayment) {
        long interest = interestOwed(at);
        long toInterest = Math.min(amount, interest);
        return new Loan(id, borrower, principal, stakes, collateral, rateBps, openedAt, dueAt,
                principalPaid + amount - toInterest, interestPaid + toInterest, at, interest - toInterest,
                Math.max(repayments, repayment), status);
    }

    Loan withStatus(Status next) {
        return new Loan(id, borrower, principal, stakes, collateral, rateBps, openedAt, dueAt, principalPaid,
                interestPaid, accruedAt, interestDue, repayments, next);
    }
}
