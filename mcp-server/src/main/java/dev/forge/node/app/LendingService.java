package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.lending.CreditScore;
import dev.forge.economy.lending.Lending;
import dev.forge.economy.lending.LendingConfig;
import dev.forge.economy.lending.Loan;
import dev.forge.economy.lending.PoolView;
import dev.forge.node.ForgeNode;
import dev.forge.node.SpendGate;
import dev.forge.node.Visibility;
import dev.forge.node.app.CallRefused;
import dev.forge.policies.Actor;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendAction;
import dev.forge.policies.SpendPipeline;
import dev.forge.policies.SpendRequest;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The lending pool's rules as the node applies them: every move of money (lend, borrow, repay)
 * passes the spend gate first and is then completed by the pool ({@link Lending}); reads show
 * an agent only its own loans and score.
 */
public final class LendingService {
    private static final LendingConfig CONFIG = LendingConfig.DEFAULT;

    private final Ledger ledger;
    private final Lending lending;
    private final SpendPipeline pipeline;
    private final SpendGate gate;

    public LendingService(Ledger ledger, Lending lending, SpendPipeline pipeline, SpendGate gate) {
        this.ledger = ledger;
        this.lending = lending;
        this.pipeline = pipeline;
        this.gate = gate;
    }

    // ---- lend and withdraw ----

    public record LendRequest(
            @JsonPropertyDescription("how much to deposit") Amount amountCu,
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("a deposit a human approved: same amount, used once")
            String approvalId) {
    }

    public record Lent(
            @JsonPropertyDescription("deposited") Amount depositedCu,
            @JsonPropertyDescription("yours in the pool, not lent out") Amount inPoolCu,
            @JsonPropertyDescription("your balance after") Amount balanceCu) {
    }

    /** Held towards escrow while the pipeline decides: the pool account is opened by the deposit itself, never for a refused lend. */
    public Lent lend(Actor actor, LendRequest request, Function<String, Optional<Boolean>> askHuman) {
        String me = agent(actor);
        long amount = request.amountCu().positive("amount_cu");
        String key = key();
        var spendRequest = new SpendRequest(me, ForgeNode.ESCROW, SpendAction.LEND, "", amount, key,
                SpendRequest.digestOf(new CanonicalWriter().string("lend").i64(amount)));
        Spend spend = gate.open(actor, spendRequest, request.approvalId(), askHuman);
        pipeline.complete(actor, spend, amount, () -> lending.deposit(me, amount, key));
        return new Lent(Amount.of(amount), Amount.of(inPool(me)), Amount.of(balance(me)));
    }

    public record WithdrawRequest(@JsonPropertyDescription("how much to take back") Amount amountCu) {
    }

    public record Withdrawn(
            @JsonPropertyDescription("taken back") Amount withdrawnCu,
            @JsonPropertyDescription("yours still in the pool") Amount inPoolCu,
            @JsonPropertyDescription("your balance after") Amount balanceCu) {
    }

    public Withdrawn withdraw(Actor actor, WithdrawRequest request) {
        String me = agent(actor);
        long amount = request.amountCu().positive("amount_cu");
        lending.withdraw(me, amount, key());
        return new Withdrawn(Amount.of(amount), Amount.of(inPool(me)), Amount.of(balance(me)));
    }

    // ---- borrow and repay ----

    public record BorrowRequest(
            @JsonPropertyDescription("how much to borrow") Amount amountCu,
            @Min(1) @Max(30) @JsonPropertyDescription("days until it is due") long termDays,
            @JsonPropertyDescription("what you lock until you repay") Amount collateralCu,
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("a loan a human approved: same arguments, used once")
            String approvalId) {
    }

    public record LoanView(
            @JsonPropertyDescription("the loan") String loanId,
            @JsonPropertyDescription("who borrowed") String borrower,
            @JsonPropertyDescription("active, repaid or defaulted") String status,
            @JsonPropertyDescription("borrowed") Amount principalCu,
            @JsonPropertyDescription("locked until repaid") Amount collateralCu,
            @JsonPropertyDescription("the yearly rate") double ratePercent,
            @JsonPropertyDescription("owed now") Amount owedCu,
            @JsonPropertyDescription("interest paid so far") Amount interestPaidCu,
            @JsonPropertyDescription("when it is due, ms since the epoch") long dueAt) {
    }

    /** A loan after a borrow or a repayment, and the borrower's balance after it. */
    public record LoanChange(
            @JsonPropertyDescription("the loan") String loanId,
            @JsonPropertyDescription("who borrowed") String borrower,
            @JsonPropertyDescription("active, repaid or defaulted") String status,
            @JsonPropertyDescription("borrowed") Amount principalCu,
            @JsonPropertyDescription("locked until repaid") Amount collateralCu,
            @JsonPropertyDescription("the yearly rate") double ratePercent,
            @JsonPropertyDescription("owed now") Amount owedCu,
            @JsonPropertyDescription("interest paid so far") Amount interestPaidCu,
            @JsonPropertyDescription("when it is due, ms since the epoch") long dueAt,
            @Nullable @JsonPropertyDescription("paid now (repay only)") Amount paidCu,
            @JsonPropertyDescription("your balance after") Amount balanceCu) {
        static LoanChange of(LoanView l, Amount paid, Amount balance) {
            return new LoanChange(l.loanId(), l.borrower(), l.status(), l.principalCu(), l.collateralCu(), l.ratePercent(),
                    l.owedCu(), l.interestPaidCu(), l.dueAt(), paid, balance);
        }
    }

    public LoanChange borrow(Actor actor, BorrowRequest request, Function<String, Optional<Boolean>> askHuman) {
        String me = agent(actor);
        long amount = request.amountCu().positive("amount_cu");
        long collateral = request.collateralCu().positive("collateral_cu");
        long days = request.termDays();
        var spendRequest = new SpendRequest(me, ForgeNode.ESCROW, SpendAction.BORROW, "", collateral, key(), SpendRequest.digestOf(
                new CanonicalWriter().string("borrow").i64(amount).i64(days).i64(collateral)));
        Spend spend = gate.open(actor, spendRequest, request.approvalId(), askHuman);
        Loan loan = pipeline.complete(actor, spend, 0, () -> lending.borrow(me, amount, days * LendingConfig.DAY, collateral));
        return LoanChange.of(view(loan), null, Amount.of(balance(me)));
    }

    public record RepayRequest(
            @Size(min = 1, max = 32) @JsonPropertyDescription("the loan, e.g. L3") String loanId,
            @Nullable @JsonPropertyDescription("how much to pay (default: all that is owed now)") Amount amountCu,
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("a repayment a human approved: same loan and amount, used once")
            String approvalId) {
    }

    public LoanChange repay(Actor actor, RepayRequest request, Function<String, Optional<Boolean>> askHuman) {
        String me = agent(actor);
        String id = request.loanId();
        Loan loan = ownLoan(me, id);
        boolean inFull = request.amountCu() == null;
        long owed = loan.owed(System.currentTimeMillis());
        // In full: the pool reckons the amount when it pays; the hold covers a thousandth more for the interest meanwhile.
        // Resumed with an approval, the held amount stands: reckoned again, interest would make it another request.
        long amount = inFull ? heldInFull(me, id, request.approvalId()).orElse(Math.addExact(owed, Math.ceilDiv(owed, 1_000L)))
                : request.amountCu().positive("amount_cu");
        if (amount <= 0) throw new CallRefused("loan_closed", id + " owes nothing");
        var spendRequest = repayRequest(me, id, amount);
        Spend spend = gate.open(actor, spendRequest, request.approvalId(), askHuman);
        Loan after = pipeline.complete(actor, spend, inFull ? owed : amount,
                () -> inFull ? lending.repayInFull(me, id, amount) : lending.repay(me, id, amount));
        long paid = inFull ? after.principalPaid() + after.interestPaid() - loan.principalPaid() - loan.interestPaid() : amount;
        return LoanChange.of(view(after), Amount.of(paid), Amount.of(balance(me)));
    }

    private SpendRequest repayRequest(String me, String loanId, long amount) {
        return new SpendRequest(me, ForgeNode.ESCROW, SpendAction.REPAY, "", amount, key(),
                SpendRequest.digestOf(new CanonicalWriter().string("repay").string(loanId).i64(amount)));
    }

    /**
     * The amount an approval holds for a repayment in full of this loan by this agent; empty for any other
     * approval, which the pipeline's resume then refuses as usual ({@code approval_mismatch}, {@code unauthorized}).
     */
    private Optional<Long> heldInFull(String me, String loanId, String approvalId) {
        if (approvalId == null) return Optional.empty();
        try {
            SpendRequest held = pipeline.spendFor(approvalId).request();
            return held.covers(repayRequest(me, loanId, held.amount())) ? Optional.of(held.amount()) : Optional.empty();
        } catch (dev.forge.policies.PolicyException e) {
            return Optional.empty();
        }
    }

    // ---- reads ----

    public record CreditRequest(
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("whose score (default: yours)") String account) {
    }

    public record Credit(
            @JsonPropertyDescription("account") String account,
            @JsonPropertyDescription("0 to 1000") int score,
            @JsonPropertyDescription("the yearly rate you would borrow at") double ratePercent,
            @JsonPropertyDescription("whether the score is high enough to borrow") boolean mayBorrow,
            @JsonPropertyDescription("the collateral a loan would need now, percent of its amount: it falls as the score rises")
            int collateralPercent,
            @JsonPropertyDescription("why that percent, in one line") String collateralWhy,
            @JsonPropertyDescription("points for the account's age") int agePoints,
            @JsonPropertyDescription("points for CU traded") int volumePoints,
            @JsonPropertyDescription("points for loans repaid and defaulted") int repaymentPoints,
            @JsonPropertyDescription("how the score was made") String explanation) {
    }

    public Credit credit(Actor actor, CreditRequest request) {
        String who = request.account() != null ? request.account() : actor.isOperator() ? null : actor.id();
        if (who == null) throw CallRefused.invalid("the operator must name an account");
        Visibility.requireVisible(actor, who);
        CreditScore c = lending.credit(who);
        boolean mayBorrow = c.score() >= CONFIG.minCreditScore();
        return new Credit(who, c.score(), CONFIG.rateBps(c.score()) / 100.0, mayBorrow, CONFIG.collateralPercent(c.score()),
                collateralWhy(c.score(), mayBorrow), c.agePoints(), c.volumePoints(), c.repaymentPoints(), c.explanation());
    }

    private static String collateralWhy(int score, boolean mayBorrow) {
        if (mayBorrow) return CONFIG.collateralWhy(score);
        return "score " + score + " is below the minimum " + CONFIG.minCreditScore() + ": no loan yet; from there a loan needs "
                + CONFIG.collateralPercent() + "% collateral, falling to " + CONFIG.floorCollateralPercent() + "% at "
                + CONFIG.floorCreditScore();
    }

    /** A tool that takes no arguments. */
    public record NoArguments() {
    }

    public record Pool(
            @JsonPropertyDescription("not lent out") Amount cashCu,
            @JsonPropertyDescription("principal owed") Amount lentCu,
            @JsonPropertyDescription("loans running") int activeLoans,
            @JsonPropertyDescription("accounts with money in the pool") int lenders,
            @JsonPropertyDescription("collateral a loan needs at the minimum credit score, percent of its amount") int collateralPercent,
            @JsonPropertyDescription("the least collateral any loan needs, percent, from floor_credit_score up") int collateralFloorPercent,
            @JsonPropertyDescription("the credit score from which a loan needs only the floor") int floorCreditScore,
            @JsonPropertyDescription("share of the pool never lent out, percent") int reservePercent,
            @JsonPropertyDescription("largest loan, percent of the pool") int maxLoanPercent,
            @JsonPropertyDescription("longest term") long maxTermDays) {
    }

    public Pool pool() {
        PoolView p = lending.pool();
        return new Pool(Amount.of(p.cash()), Amount.of(p.lent()), p.activeLoans(), p.lenders().size(), CONFIG.collateralPercent(),
                CONFIG.floorCollateralPercent(), CONFIG.floorCreditScore(), CONFIG.reservePercent(), CONFIG.maxLoanPercent(), CONFIG.maxTermMillis() / LendingConfig.DAY);
    }

    public record Loans(@JsonPropertyDescription("loans, with what is owed now") List<LoanView> loans) {
    }

    public Loans loans(Actor actor) {
        var loans = actor.isOperator() ? lending.allLoans() : lending.loans(agent(actor));
        return new Loans(loans.stream().map(LendingService::view).toList());
    }

    private static LoanView view(Loan l) {
        return new LoanView(l.id(), l.borrower(), l.status().name().toLowerCase(Locale.ROOT), Amount.of(l.principal()),
                Amount.of(l.collateral()), l.rateBps() / 100.0, Amount.of(l.owed(System.currentTimeMillis())),
                Amount.of(l.interestPaid()), l.dueAt());
    }

    private long balance(String account) {
        return ledger.account(account).orElseThrow().balance();
    }

    private long inPool(String account) {
        return ledger.account("pool:" + account).map(a -> a.balance()).orElse(0L);
    }

    private static String agent(Actor actor) {
        if (actor.isOperator()) throw new CallRefused("unauthorized", "the operator has no account; use an agent's token");
        return actor.id();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    /** One answer for another's loan and for no loan at all, so that loan ids cannot be probed. */
    private Loan ownLoan(String me, String id) {
        return lending.loans(me).stream().filter(loan -> loan.id().equals(id) && loan.borrower().equals(me)).findFirst()
                .orElseThrow(() -> new CallRefused("not_your_loan", "you have no loan " + id));
    }
}
