package dev.forge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a lending call the model proposes becomes the agent's step: strictly read, in µCU, or a wait saying why not. */
class LendingCallsTest {
    static final long NOW = 1_800_000_000_000L;
    static final Loan LOAN = new Loan("L1", "active", 2_000_000, 2_010_000, 3_000_000, NOW + 3_600_000);

    static Snapshot seen(long available, long spendable) {
        return new Snapshot(NOW, available, spendable, 0, 0, 300, true, 1_200, 50_000_000, 150, 30, List.of(LOAN), List.of(),
                false, "");
    }

    static Decision decide(String tool, String arguments, Snapshot seen) {
        return LendingCalls.decision(ToolExecutionRequest.builder().name(tool).arguments(arguments).build(), seen, "the model");
    }

    @Test
    void aBorrowCallIsABorrowOfExactlyItsArguments() {
        assertEquals(Decision.borrow(2_500_000, 3_750_000, 7, "the model"),
                decide("borrow", "{\"amount_cu\": \"2.5\", \"term_days\": 7, \"collateral_cu\": \"3.75\"}", seen(0, 0)));
    }

    @Test
    void aCallItCannotReadIsAWaitThatSaysWhy() {
        var seen = seen(100_000_000, 0);
        for (String[] bad : List.of(
                new String[] {"borrow", "{\"amount_cu\": \"2\", \"term_days\": 0, \"collateral_cu\": \"3\"}", "term_days"},
                new String[] {"borrow", "{\"amount_cu\": \"2\", \"term_days\": 1.5, \"collateral_cu\": \"3\"}", "term_days"},
                new String[] {"borrow", "{\"amount_cu\": \"-2\", \"term_days\": 1, \"collateral_cu\": \"3\"}", "an amount of CU"},
                new String[] {"borrow", "{\"amount_cu\": \"0\", \"term_days\": 1, \"collateral_cu\": \"3\"}", "more than 0"},
                new String[] {"borrow", "{\"amount_cu\": \"2\", \"term_days\": 1, \"collateral_cu\": \"3\", \"to\": \"x\"}", "unknown argument 'to'"},
                new String[] {"borrow", "[1]", "not a JSON object"},
                new String[] {"borrow", "{", "not JSON"},
                new String[] {"repay", "{\"loan_id\": \"L9\"}", "no active loan of mine is called 'L9'"},
                new String[] {"move_funds", "{\"amount_cu\": \"1\", \"from\": \"pool\"}", "from must be key or account"},
                new String[] {"move_funds", "{\"amount_cu\": \"1\", \"from\": \"key\", \"x\": \"" + "y".repeat(1_000) + "\"}", "too long"})) {
            Decision d = decide(bad[0], bad[1], seen);
            assertEquals(Decision.Kind.WAIT, d.kind(), bad[1]);
            assertTrue(d.reason().startsWith("the model, which I cannot carry out (") && d.reason().contains(bad[2]), d.reason());
        }
    }

    @Test
    void aRepaymentWithoutAnAmountIsInFullFromTheEarningsWhenTheyCoverTheNodesHoldElseFromTheAccount() {
        // 2.01 CU owed and a thousandth more, 2,010 µCU, for the interest until it lands
        assertEquals(Decision.repayFromKey("L1", 2_010_000, 2_012_010, "the model"),
                decide("repay", "{\"loan_id\": \"L1\"}", seen(0, 2_012_010)));
        assertEquals(Decision.repayInFull("L1", 2_010_000, "the model"), decide("repay", "{\"loan_id\": \"L1\"}", seen(2_012_010, 2_012_009)));
        assertEquals(Decision.Kind.WAIT, decide("repay", "{\"loan_id\": \"L1\"}", seen(2_012_009, 2_012_009)).kind());
        assertEquals(Decision.repay("L1", 1_000_000, "the model"), decide("repay", "{\"loan_id\": \"L1\", \"amount_cu\": \"1\"}", seen(0, 0)));
    }

    @Test
    void aMoveIsBetweenTheAgentsOwnTwoAccounts() {
        assertEquals(Decision.move(true, 1_500_000, "the model"), decide("move_funds", "{\"amount_cu\": \"1.5\", \"from\": \"key\"}", seen(0, 0)));
        assertEquals(Decision.move(false, 1_500_000, "the model"), decide("move_funds", "{\"from\": \"account\", \"amount_cu\": 1.5}", seen(0, 0)));
    }

    @Test
    void onlyTheLendingToolsAreProposalsAndNoneOfThemKillsOrOrders() {
        assertEquals(List.of("borrow", "repay", "move_funds"), LendingCalls.TOOLS);
        assertTrue(LendingCalls.kind("balance").isEmpty() && LendingCalls.kind("kill").isEmpty());
        assertTrue(LlmPlanner.TOOLS.containsAll(LendingCalls.TOOLS) && LlmPlanner.TOOLS.containsAll(LlmPlanner.READ_TOOLS));
        for (String never : List.of("kill", "chat", "submit_order", "lend", "withdraw", "offer", "register_key")) {
            assertTrue(!LlmPlanner.TOOLS.contains(never), never);
        }
    }
}
