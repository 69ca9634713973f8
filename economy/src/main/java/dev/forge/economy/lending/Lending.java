package dev.forge.economy.lending;

import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.AccountKind;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerError;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.ledger.Limits;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.ledger.Transfer;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.ledger.TransferRequest;
import dev.forge.economy.market.MarketException;
import dev.forge.economy.market.MarketException.Code;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lending pool: every movement of money is a ledger transfer, and the loans are a fold
 * over the ledger's transfers, so the pool is rebuilt from the ledger alone.
 *
 * <p>Each lender has a pool account, {@code pool:<lender>}. A deposit moves CU into it and a
 * withdrawal out of it, and since a pool account can never go below zero, what a lender can
 * withdraw is exactly what is not lent out. A loan draws its principal from the lenders' pool
 * accounts in proportion to their cash (its stakes) and locks the borrower's collateral in an
 * escrow account of its own, {@code escrow:<loan>}, in one linked chain. Repayments flow back to
 * the pool accounts in proportion to the stakes; the last one releases the collateral. A loan
 * past its term defaults on a live schedule: its collateral goes to the lenders, in proportion.
 *
 * <p>The structure lives in the transfers' reserved keys: {@code ~loan:L7:open:<rate>:<due>}
 * (the collateral), {@code ~loan:L7:lend:<lender>}, {@code ~loan:L7:repay:<n>:<lender>},
 * {@code ~loan:L7:release}, {@code ~loan:L7:seize:<lender>}.
 */
public final class Lending implements AutoCloseable {
    private static final String POOL = "pool:";

    private final Ledger ledger;
    private final LendingConfig config;
    private final InstantSource clock;
    private final Map<String, Loan> loans = new TreeMap<>();
    private final Map<String, Long> traded = new HashMap<>();
    private final Map<String, int[]> history = new HashMap<>(); // borrower → {repaid, defaulted}
    private long transfersSeen;
    private long tradesSeen;
    private int lastLoan;
    private ScheduledExecutorService schedule;

    public Lending(Ledger ledger, LendingConfig config, InstantSource clock) {
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
        sync();
    }

    /** Starts the live schedule that defaults loans past their term. */
    public synchronized void start() {
        if (schedule != null) return;
        schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("forge-loans").factory());
        schedule.scheduleWithFixedDelay(this::defaultDueLoansQuietly, config.checkMillis(), config.checkMillis(),
                TimeUnit.MILLISECONDS);
    }

    // ---- the pool ----

    /** Moves {@code amount} µCU from the lender's account into its pool account. */
    public synchronized Transfer deposit(String lender, long amount, String key) {
        requireAccount(lender);
        MarketException.require(amount > 0, Code.INVALID_ARGUMENT, "a deposit must be positive");
        String pool = poolAccount(lender);
        ledger.openAccount(AccountSpec.system(pool, AccountKind.POOL));
        return move(List.of(TransferRequest.single("~pool:in:" + lender + ":" + checkKey(key), lender, pool, amount,
                TransferCode.DEPOSIT))).getFirst();
    }

    /** Moves {@code amount} µCU back to the lender: at most what of its deposit is not lent out. */
    public synchronized Transfer withdraw(String lender, long amount, String key) {
        MarketException.require(amount > 0, Code.INVALID_ARGUMENT, "a withdrawal must be positive");
        long free = cashOf(lender);
        MarketException.require(amount <= free, Code.NOT_LENT_OUT, "only " + free + " µCU of " + lender
                + "'s pool money is not lent out; the rest returns as loans are repaid");
        return move(List.of(TransferRequest.single("~pool:out:" + lender + ":" + checkKey(key), poolAccount(lender), lender,
                amount, TransferCode.WITHDRAWAL))).getFirst();
    }

    public synchronized PoolView pool() {
        sync();
        Map<String, Long> lenders = new TreeMap<>();
        for (Account a : ledger.accounts()) {
            if (a.kind() == AccountKind.POOL && a.id().startsWith(POOL)) lenders.put(a.id().substring(POOL.length()), a.available());
        }
        long cash = lenders.values().stream().mapToLong(Long::longValue).sum();
        long lent = active().mapToLong(Loan::principalOwed).sum();
        return new PoolView(cash, lent, lenders, (int) active().count());
    }

    // ---- loans ----

    /**
     * Lends {@code amount} µCU for {@code termMillis} against {@code collateral} µCU of the
     * borrower's, at a rate and a least collateral set by its credit score. Refused, with nothing moved, unless every
     * limit holds.
     */
    public synchronized Loan borrow(String borrower, long amount, long termMillis, long collateral) {
        Account account = requireAccount(borrower);
        MarketException.require(amount > 0 && collateral > 0 && termMillis > 0, Code.INVALID_ARGUMENT,
                "amount, collateral and term must be positive");
        MarketException.require(termMillis <= config.maxTermMillis(), Code.TERM_TOO_LONG, "the longest term is "
                + config.maxTermMillis() / LendingConfig.DAY + " days");
        PoolView pool = pool();
        Map<String, Long> funders = funders(pool, borrower);
        long cash = funders.values().stream().mapToLong(Long::longValue).sum();
        MarketException.require(cash > 0, Code.POOL_EMPTY, "the pool has nothing to lend");
        CreditScore credit = credit(borrower);
        long least = config.collateralFor(amount, credit.score());
        MarketException.require(collateral >= least, Code.COLLATERAL_TOO_LOW, "collateral must be at least " + least
                + " µCU (" + config.collateralWhy(credit.score()) + ")");
        MarketException.require(amount <= pool.funds() / 100 * config.maxLoanPercent(), Code.LOAN_TOO_LARGE,
                "one loan may take at most " + config.maxLoanPercent() + "% of the pool's " + pool.funds() + " µCU");
        MarketException.require(cash - amount >= pool.funds() / 100 * config.reservePercent(), Code.POOL_RESERVE,
                "the pool keeps " + config.reservePercent() + "% of its funds as cash; at most "
                        + Math.max(0, cash - pool.funds() / 100 * config.reservePercent()) + " µCU can be lent now");
        MarketException.require(credit.score() >= config.minCreditScore(), Code.CREDIT_TOO_LOW, "credit score "
                + credit.score() + " is below " + config.minCreditScore() + " (" + credit.explanation() + ")");
        MarketException.require(account.available() >= collateral, Code.INSUFFICIENT_FUNDS, borrower + " has "
                + account.available() + " µCU available, less than the " + collateral + " µCU of collateral");
        String id = "L" + (lastLoan + 1);
        String escrow = "escrow:" + id;
        ledger.openAccount(AccountSpec.system(escrow, AccountKind.ESCROW));
        long due = clock.millis() + termMillis;
        List<TransferRequest> chain = new ArrayList<>();
        chain.add(TransferRequest.single("~loan:" + id + ":open:" + config.rateBps(credit.score()) + ":" + due,
                borrower, escrow, collateral, TransferCode.COLLATERAL));
        Shares.split(amount, funders).forEach((lender, part) -> chain.add(TransferRequest.single(
                "~loan:" + id + ":lend:" + lender, poolAccount(lender), borrower, part, TransferCode.LOAN)));
        move(chain);
        return loans.get(id);
    }

    /**
     * The lenders whose cash a loan draws on: not the borrower, and, since a linked chain holds
     * at most 64 transfers (one is the collateral), the 63 with the most cash.
     */
    private static Map<String, Long> funders(PoolView pool, String borrower) {
        Map<String, Long> funders = new TreeMap<>();
        pool.lenders().entrySet().stream()
                .filter(e -> !e.getKey().equals(borrower) && e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(Limits.MAX_CHAIN_LENGTH - 1)
                .forEach(e -> funders.put(e.getKey(), e.getValue()));
        return funders;
    }

    /** Pays {@code amount} µCU towards a loan of the actor's; the payment that clears it returns the collateral. */
    public synchronized Loan repay(String actor, String loanId, long amount) {
        Loan loan = ownActiveLoan(actor, loanId);
        MarketException.require(amount > 0, Code.INVALID_ARGUMENT, "a repayment must be positive");
        long owed = loan.owed(clock.millis());
        MarketException.require(amount <= owed, Code.REPAYMENT_TOO_LARGE, loanId + " owes " + owed + " µCU now");
        return pay(actor, loan, amount, owed);
    }

    /**
     * Pays everything a loan of the actor's owes at this moment, at most {@code most} µCU, and
     * returns its collateral: what is owed is reckoned here, under the pool's lock, so interest
     * that runs while a caller computes the amount cannot leave a µCU unpaid.
     */
    public synchronized Loan repayInFull(String actor, String loanId, long most) {
        Loan loan = ownActiveLoan(actor, loanId);
        long owed = loan.owed(clock.millis());
        MarketException.require(owed <= most, Code.REPAYMENT_TOO_LARGE, loanId + " owes " + owed + " µCU now, more than " + most);
        return pay(actor, loan, owed, owed);
    }

    private Loan ownActiveLoan(String actor, String loanId) {
        sync();
        Loan loan = loans.get(loanId);
        MarketException.require(loan != null, Code.INVALID_ARGUMENT, "no loan " + loanId);
        MarketException.require(loan.borrower().equals(actor), Code.NOT_YOUR_LOAN, loanId + " is not " + actor + "'s loan");
        MarketException.require(loan.status() == Loan.Status.ACTIVE, Code.LOAN_CLOSED, loanId + " is " + loan.status());
        return loan;
    }

    private Loan pay(String actor, Loan loan, long amount, long owed) {
        String loanId = loan.id();
        int n = loan.repayments() + 1;
        List<TransferRequest> chain = new ArrayList<>();
        Shares.split(amount, loan.stakes()).forEach((lender, part) -> chain.add(TransferRequest.single(
                "~loan:" + loanId + ":repay:" + n + ":" + lender, actor, poolAccount(lender), part, TransferCode.REPAYMENT)));
        if (amount == owed) {
            chain.add(TransferRequest.single("~loan:" + loanId + ":release", "escrow:" + loanId, actor, loan.collateral(),
                    TransferCode.COLLATERAL));
        }
        move(chain);
        return loans.get(loanId);
    }

    /** Defaults every active loan past its term: its collateral goes to its lenders. */
    public synchronized List<Loan> defaultDueLoans() {
        sync();
        long now = clock.millis();
        List<Loan> due = active().filter(l -> l.dueAt() <= now).toList();
        for (Loan loan : due) {
            List<TransferRequest> chain = new ArrayList<>();
            Shares.split(loan.collateral(), loan.stakes()).forEach((lender, part) -> chain.add(TransferRequest.single(
                    "~loan:" + loan.id() + ":seize:" + lender, "escrow:" + loan.id(), poolAccount(lender), part,
                    TransferCode.COLLATERAL)));
            move(chain);
        }
        return due.stream().map(l -> loans.get(l.id())).toList();
    }

    public synchronized Loan loan(String id) {
        sync();
        Loan loan = loans.get(id);
        MarketException.require(loan != null, Code.INVALID_ARGUMENT, "no loan " + id);
        return loan;
    }

    /** Every loan, oldest first (for the operator). */
    public synchronized List<Loan> allLoans() {
        sync();
        return List.copyOf(loans.values());
    }

    /** Loans where the account is the borrower or one of the lenders. */
    public synchronized List<Loan> loans(String account) {
        sync();
        return loans.values().stream().filter(l -> l.borrower().equals(account) || l.stakes().containsKey(account)).toList();
    }

    public synchronized CreditScore credit(String account) {
        sync();
        Account a = requireAccount(account);
        int[] record = history.getOrDefault(account, new int[2]);
        return CreditScore.of(account, clock.millis() - a.createdAt(), traded.getOrDefault(account, 0L), record[0], record[1]);
    }

    @Override
    public synchronized void close() {
        if (schedule != null) schedule.shutdownNow();
        schedule = null;
    }

    // ---- the fold ----

    private List<Transfer> move(List<TransferRequest> chain) {
        try {
            List<Transfer> done = ledger.systemTransferLinked(chain);
            sync();
            return done;
        } catch (LedgerException e) {
            if (e.error() == LedgerError.INSUFFICIENT_FUNDS) throw new MarketException(Code.INSUFFICIENT_FUNDS, e.getMessage());
            throw new MarketException(Code.INVALID_ARGUMENT, e.getMessage());
        }
    }

    /** Folds the transfers and trades the ledger accepted since the last call. */
    private void sync() {
        for (long id = transfersSeen + 1; id <= ledger.transferCount(); id++) {
            Transfer t = ledger.findTransfer(id).orElseThrow();
            if (t.key().startsWith("~loan:")) apply(t);
            transfersSeen = id;
        }
        // Trades share their ids with settled work: skip the ids that are work.
        for (long id = tradesSeen + 1; id <= ledger.logSize(); id++) {
            ledger.trade(id).ifPresent(trade -> {
                traded.merge(trade.consumer(), trade.amount(), Math::addExact);
                traded.merge(trade.provider(), trade.amount(), Math::addExact);
            });
            tradesSeen = id;
        }
    }

    private void apply(Transfer t) {
        String[] head = t.key().split(":", 4);
        String id = head[1];
        String rest = head.length > 3 ? head[3] : "";
        switch (head[2]) {
            case "open" -> {
                String[] terms = rest.split(":");
                loans.put(id, new Loan(id, t.debitAccount(), 0, Map.of(), t.amount(), Integer.parseInt(terms[0]),
                        t.timestamp(), Long.parseLong(terms[1]), 0, 0, t.timestamp(), 0, 0, Loan.Status.ACTIVE));
                lastLoan = Math.max(lastLoan, Integer.parseInt(id.substring(1)));
            }
            case "lend" -> loans.put(id, loans.get(id).withStake(rest, t.amount()));
            case "repay" -> {
                int n = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
                loans.put(id, loans.get(id).withPayment(t.amount(), t.timestamp(), n));
            }
            case "release" -> close(id, Loan.Status.REPAID, 0);
            case "seize" -> {
                if (loans.get(id).status() == Loan.Status.ACTIVE) close(id, Loan.Status.DEFAULTED, 1);
            }
            default -> throw new IllegalStateException("unknown loan transfer " + t.key());
        }
    }

    private void close(String id, Loan.Status status, int slot) {
        Loan loan = loans.get(id).withStatus(status);
        loans.put(id, loan);
        history.computeIfAbsent(loan.borrower(), b -> new int[2])[slot]++;
    }

    private java.util.stream.Stream<Loan> active() {
        return loans.values().stream().filter(l -> l.status() == Loan.Status.ACTIVE);
    }

    private long cashOf(String lender) {
        return ledger.account(poolAccount(lender)).map(Account::available).orElse(0L);
    }

    private Account requireAccount(String id) {
        return ledger.account(id).orElseThrow(() -> new MarketException(Code.UNKNOWN_ACCOUNT, "no account " + id));
    }

    private static String poolAccount(String lender) {
        MarketException.require(lender != null && lender.length() <= 64 - POOL.length(), Code.INVALID_ARGUMENT,
                "a lender's id is at most " + (64 - POOL.length()) + " characters");
        return POOL + lender;
    }

    private static String checkKey(String key) {
        MarketException.require(key != null && key.matches("[A-Za-z0-9._:-]{1,48}"), Code.INVALID_ARGUMENT,
                "an idempotency key is 1-48 characters of A-Z a-z 0-9 . _ : -");
        return key;
    }

    private void defaultDueLoansQuietly() {
        try {
            defaultDueLoans();
        } catch (RuntimeException e) {
            System.err.println("forge: defaulting loans failed, retrying next check: " + e);
        }
    }
}
