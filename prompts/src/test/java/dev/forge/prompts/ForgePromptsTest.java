package dev.forge.prompts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForgePromptsTest {
    @Test
    void everyRefusalAnAgentCanMeetIsExplained() {
        for (String code : List.of("kill_switch", "budget_request", "budget_hour", "budget_lifetime", "velocity", "circuit_open",
                "approval_required", "approval_denied", "insufficient_funds", "policy_unavailable", "credit_too_low",
                "queue_full", "prompt_too_long", "invalid_argument", "unauthorized")) {
            String text = ForgePrompts.explainRefusal(code, "because");
            assertTrue(text.contains("Code: " + code) && !text.contains("refused this call with code"), code);
        }
        assertTrue(ForgePrompts.explainRefusal("something_new", null).contains("refused this call with code 'something_new'"));
    }

    @Test
    void thePlanCarriesTheTaskAndEveryLimit() {
        String text = ForgePrompts.planWithinBudget("summarise ten reports",
                new ForgePrompts.Budget("900.000000", "850.000000", "50.000000", "200.000000", "12.500000", "25.000000",
                        "tiny 1.000000, small 5.000000"));
        for (String part : List.of("summarise ten reports", "900.000000", "850.000000", "50.000000", "200.000000", "12.500000",
                "25.000000", "small 5.000000")) {
            assertTrue(text.contains(part), part);
        }
    }
}
