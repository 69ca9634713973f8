package dev.forge.node.mcp;

import dev.forge.economy.lending.LendingConfig;
import dev.forge.node.app.LendingService;
import dev.forge.node.app.LendingService.NoArguments;
import java.util.List;

/** The lending pool's tools (lend, withdraw, borrow, repay, credit, pool, loans): adapters over {@link LendingService}. */
final class LendingTools {
    private final LendingService lending;

    LendingTools(LendingService lending) {
        this.lending = lending;
    }

    List<ForgeTool> tools() {
        return List.of(lend(), withdraw(), borrow(), repay(), credit(), pool(), loans());
    }

    private ForgeTool lend() {
        return ForgeTool.named("lend").title("Lend CU to the pool (moves CU)")
                .description("Deposits CU from your balance into the lending pool, where borrowers pay interest on it; "
                        + "repayments come back to you pro rata. Passes the safety checks like any spend. You can "
                        + "withdraw what is not lent out at any time.")
                .handles(LendingService.LendRequest.class, LendingService.Lent.class,
                        (call, request) -> lending.lend(call.actor(), request, call.askHuman()));
    }

    private ForgeTool withdraw() {
        return ForgeTool.named("withdraw").title("Withdraw from the pool")
                .description("Takes CU you lent back from the pool to your balance: at most what is not lent out now. "
                        + "Costs nothing.")
                .handles(LendingService.WithdrawRequest.class, LendingService.Withdrawn.class,
                        (call, request) -> lending.withdraw(call.actor(), request));
    }

    private ForgeTool borrow() {
        return ForgeTool.named("borrow").title("Borrow CU (locks collateral)")
                .description("Borrows CU from the pool for a term, against collateral from your balance, at a yearly rate "
                        + "set by your credit score; the collateral needed falls with the score too, from "
                        + LendingConfig.DEFAULT.collateralPercent() + "% of the amount at the minimum score to "
                        + LendingConfig.DEFAULT.floorCollateralPercent() + "% (credit says yours now). "
                        + "Repay with repay before the term ends, or the collateral goes to the lenders "
                        + "and your credit falls. Use it to afford a bigger model.")
                .handles(LendingService.BorrowRequest.class, LendingService.LoanChange.class,
                        (call, request) -> lending.borrow(call.actor(), request, call.askHuman()));
    }

    private ForgeTool repay() {
        return ForgeTool.named("repay").title("Repay a loan (moves CU)")
                .description("Pays towards one of your loans: interest first, then principal. The payment that clears "
                        + "it returns your collateral. Give amount_cu, or omit it to repay everything owed now.")
                .handles(LendingService.RepayRequest.class, LendingService.LoanChange.class,
                        (call, request) -> lending.repay(call.actor(), request, call.askHuman()));
    }

    private ForgeTool credit() {
        return ForgeTool.named("credit").title("Credit score").readOnly()
                .description("Your credit score (0-1000) and how it was made: account age, CU traded, loans repaid and "
                        + "defaulted; it sets whether you may borrow (at least " + LendingConfig.DEFAULT.minCreditScore()
                        + "), your rate, and the collateral a loan needs now (collateral_percent, with why). Free to call.")
                .handles(LendingService.CreditRequest.class, LendingService.Credit.class,
                        (call, request) -> lending.credit(call.actor(), request));
    }

    private ForgeTool pool() {
        return ForgeTool.named("pool").title("Lending pool").readOnly()
                .description("The lending pool now: cash available, CU lent out, active loans, and the limits "
                        + "(collateral, reserve, largest loan, longest term). Free to call.")
                .handles(NoArguments.class, LendingService.Pool.class, (call, request) -> lending.pool());
    }

    private ForgeTool loans() {
        return ForgeTool.named("loans").title("Your loans").readOnly()
                .description("Loans you took or funded, with what is owed now (the operator sees every loan). Free to call.")
                .handles(NoArguments.class, LendingService.Loans.class, (call, request) -> lending.loans(call.actor()));
    }
}
