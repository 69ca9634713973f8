package dev.forge.node.mcp;

import static dev.forge.node.mcp.Schema.cu;
import static dev.forge.node.mcp.Schema.integer;
import static dev.forge.node.mcp.Schema.object;
import static dev.forge.node.mcp.Schema.optional;
import static dev.forge.node.mcp.Schema.required;
import static dev.forge.node.mcp.Schema.string;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.lending.CreditScore;
import dev.forge.economy.lending.LendingConfig;
import dev.forge.economy.lending.Loan;
import dev.forge.economy.lending.PoolView;
import dev.forge.node.ForgeNode;
import dev.forge.node.SpendGate;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendAction;
import dev.forge.policies.SpendRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The lending pool: lend, withdraw, borrow, repay, credit, pool, loans. */
final class LendingTools {
    private final ForgeNode node;
    private final SpendGate gate;

    LendingTools(ForgeNode node) {
        this.node = node;
        this.gate = new SpendGate(node.pipeline());
    }

    List<ForgeTool> tools() {
        return List.of(lend(), withdraw(), borrow(), repay(), credit(), pool(), loans());
    }

    private ForgeTool lend() {
        return ForgeTool.named("lend").title("Lend CU to the pool (moves CU)")
                .description("Deposits CU from your balance into the lending pool, where borrowers pay interest on it; "
                        + "repayments come back to you pro rata. Passes the safety checks like any spend. You can "
                        + "withdraw what is not lent out at any time.")
                .input(object(required("amount_cu", cu("how much to deposit")),
                        optional("approval_id", string("a deposit a human approved: same amount, used once", 64))))
                .output(object(required("deposited_cu", cu("deposited")), required("in_pool_cu", cu("yours in the pool, not lent out")),
                        required("balance_cu", cu("your balance after"))))
                .handler(call -> {
                    String me = agent(call);
                    long amount = call.args().cu("amount_cu");
                    String key = key();
                    // Held towards escrow: the pool account is opened by the deposit itself, never for a refused lend.
                    var request = new SpendRequest(me, ForgeNode.ESCROW, SpendAction.LEND, "", amount, key,
                            SpendRequest.digestOf(new CanonicalWriter().string("lend").i64(amount)));
                    Spend spend = open(call, request);
                    node.pipeline().complete(call.actor(), spend, amount, () -> node.lending().deposit(me, amount, key));
                    return Out.of().cu("deposited_cu", amount).cu("in_pool_cu", node.ledger().account("pool:" + me).orElseThrow().balance())
                            .cu("balance_cu", balance(me)).map();
                });
    }

    private ForgeTool withdraw() {
        return ForgeTool.named("withdraw").title("Withdraw from the pool")
                .description("Takes CU you lent back from the pool to your balance: at most what is not lent out now. "
                        + "Costs nothing.")
                .input(object(required("amount_cu", cu("how much to take back"))))
                .output(object(required("withdrawn_cu", cu("taken back")), required("in_pool_cu", cu("yours still in the pool")),
                        required("balance_cu", cu("your balance after"))))
                .handler(call -> {
                    String me = agent(call);
                    long amount = call.args().cu("amount_cu");
                    node.lending().withdraw(me, amount, key());
                    return Out.of().cu("withdrawn_cu", amount)
                            .cu("in_pool_cu", node.ledger().account("pool:" + me).map(a -> a.balance()).orElse(0L))
                            .cu("balance_cu", balance(me)).map();
                });
    }

    private ForgeTool borrow() {
        return ForgeTool.named("borrow").title("Borrow CU (locks collateral)")
                .description("Borrows CU from the pool for a term, against collateral from your balance (at least "
                        + LendingConfig.DEFAULT.collateralPercent() + "% of the amount), at a yearly rate set by your credit "
                        + "score (see credit). Repay with repay before the term ends, or the collateral goes to the lenders "
                        + "and your credit falls. Use it to afford a bigger model.")
                .input(object(required("amount_cu", cu("how much to borrow")),
                        required("term_days", integer("days until it is due", 1, 30)),
                        required("collateral_cu", cu("what you lock until you repay")),
                        optional("approval_id", string("a loan a human approved: same arguments, used once", 64))))
                .output(loanSchema())
                .handler(call -> {
                    String me = agent(call);
                    long amount = call.args().cu("amount_cu");
                    long collateral = call.args().cu("collateral_cu");
                    long days = call.args().integer("term_days", 1, 30, 1);
                    var request = new SpendRequest(me, ForgeNode.ESCROW, SpendAction.BORROW, "", collateral, key(), SpendRequest.digestOf(
                            new CanonicalWriter().string("borrow").i64(amount).i64(days).i64(collateral)));
                    Spend spend = open(call, request);
                    Loan loan = node.pipeline().complete(call.actor(), spend, 0,
                            () -> node.lending().borrow(me, amount, days * LendingConfig.DAY, collateral));
                    return loan(loan).cu("balance_cu", balance(me)).map();
                });
    }

    private ForgeTool repay() {
        return ForgeTool.named("repay").title("Repay a loan (moves CU)")
                .description("Pays towards one of your loans: interest first, then principal. The payment that clears "
                        + "it returns your collateral. Give amount_cu, or omit it to repay everything owed now.")
                .input(object(required("loan_id", string("the loan, e.g. L3", 32)), optional("amount_cu", cu("how much to pay")),
                        optional("approval_id", string("a repayment a human approved: same loan and amount, used once", 64))))
                .output(loanSchema())
                .handler(call -> {
                    String me = agent(call);
                    String id = call.args().string("loan_id", 32);
                    Loan loan = ownLoan(me, id);
                    long amount = call.args().has("amount_cu") ? call.args().cu("amount_cu") : loan.owed(System.currentTimeMillis());
                    if (amount <= 0) throw new ToolException("loan_closed", id + " owes nothing");
                    var request = new SpendRequest(me, ForgeNode.ESCROW, SpendAction.REPAY, "", amount, key(),
                            SpendRequest.digestOf(new CanonicalWriter().string("repay").string(id).i64(amount)));
                    Spend spend = open(call, request);
                    Loan after = node.pipeline().complete(call.actor(), spend, amount, () -> node.lending().repay(me, id, amount));
                    return loan(after).cu("paid_cu", amount).cu("balance_cu", balance(me)).map();
                });
    }

    private ForgeTool credit() {
        return ForgeTool.named("credit").title("Credit score").readOnly()
                .description("Your credit score (0-1000) and how it was made: account age, CU traded, loans repaid and "
                        + "defaulted; it sets whether you may borrow (at least " + LendingConfig.DEFAULT.minCreditScore()
                        + ") and your rate. Free to call.")
                .input(object(optional("account", string("whose score (default: yours)", 64))))
                .output(object(required("account", string("account")), required("score", integer("0 to 1000")),
                        required("rate_percent", Schema.number("the yearly rate you would borrow at", 0, 1000)),
                        required("explanation", string("how the score was made"))))
                .handler(call -> {
                    String who = call.args().string("account", 64, call.actor().isOperator() ? null : call.actor().id());
                    if (who == null) throw ToolException.invalid("the operator must name an account");
                    dev.forge.node.Visibility.requireVisible(call.actor(), who);
                    CreditScore c = node.lending().credit(who);
                    return Out.of().put("account", who).put("score", c.score())
                            .put("rate_percent", LendingConfig.DEFAULT.rateBps(c.score()) / 100.0)
                            .put("may_borrow", c.score() >= LendingConfig.DEFAULT.minCreditScore())
                            .put("age_points", c.agePoints()).put("volume_points", c.volumePoints())
                            .put("repayment_points", c.repaymentPoints()).put("explanation", c.explanation()).map();
                });
    }

    private ForgeTool pool() {
        return ForgeTool.named("pool").title("Lending pool").readOnly()
                .description("The lending pool now: cash available, CU lent out, active loans, and the limits "
                        + "(collateral, reserve, largest loan, longest term). Free to call.")
                .input(object())
                .output(object(required("cash_cu", cu("not lent out")), required("lent_cu", cu("principal owed")),
                        required("active_loans", integer("loans running"))))
                .handler(call -> {
                    PoolView p = node.lending().pool();
                    LendingConfig c = LendingConfig.DEFAULT;
                    return Out.of().cu("cash_cu", p.cash()).cu("lent_cu", p.lent()).put("active_loans", p.activeLoans())
                            .put("lenders", p.lenders().size()).put("collateral_percent", c.collateralPercent())
                            .put("reserve_percent", c.reservePercent()).put("max_loan_percent", c.maxLoanPercent())
                            .put("max_term_days", c.maxTermMillis() / LendingConfig.DAY).map();
                });
    }

    private ForgeTool loans() {
        return ForgeTool.named("loans").title("Your loans").readOnly()
                .description("Loans you took or funded, with what is owed now (the operator sees every loan). Free to call.")
                .input(object())
                .output(object(required("loans", Schema.array("loans", Schema.anyObject("loan")))))
                .handler(call -> {
                    List<Map<String, Object>> list = new ArrayList<>();
                    var loans = call.actor().isOperator() ? node.lending().allLoans() : node.lending().loans(agent(call));
                    for (Loan l : loans) list.add(loan(l).map());
                    return Out.of().put("loans", list).map();
                });
    }

    private Out loan(Loan l) {
        long now = System.currentTimeMillis();
        return Out.of().put("loan_id", l.id()).put("borrower", l.borrower()).put("status", l.status().name().toLowerCase(Locale.ROOT))
                .cu("principal_cu", l.principal()).cu("collateral_cu", l.collateral()).put("rate_percent", l.rateBps() / 100.0)
                .cu("owed_cu", l.owed(now)).cu("interest_paid_cu", l.interestPaid()).put("due_at", l.dueAt());
    }

    private static Map<String, Object> loanSchema() {
        return object(required("loan_id", string("the loan")), required("status", string("active, repaid or defaulted")),
                required("principal_cu", cu("borrowed")), required("owed_cu", cu("owed now")),
                required("balance_cu", cu("your balance after")));
    }

    /** Holds the spend, or resumes the approved one: the client is asked only where the operator allows it. */
    private Spend open(ToolCall call, SpendRequest request) {
        return gate.open(call.actor(), request, call.args().string("approval_id", 64, null), ClientApproval.of(call));
    }

    private long balance(String account) {
        return node.ledger().account(account).orElseThrow().balance();
    }

    private static String agent(ToolCall call) {
        if (call.actor().isOperator()) throw new ToolException("unauthorized", "the operator has no account; use an agent's token");
        return call.actor().id();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    /** One answer for another's loan and for no loan at all, so that loan ids cannot be probed. */
    private Loan ownLoan(String me, String id) {
        return node.lending().loans(me).stream().filter(loan -> loan.id().equals(id) && loan.borrower().equals(me)).findFirst()
                .orElseThrow(() -> new ToolException("not_your_loan", "you have no loan " + id));
    }
}
