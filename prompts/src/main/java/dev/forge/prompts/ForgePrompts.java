package dev.forge.prompts;

import java.util.Locale;
import java.util.Map;

/**
 * The texts of Forge's MCP prompts. Plain text with the agent's live numbers filled in by the
 * node; kept apart from the server so that they can be read, reviewed and changed on their own.
 */
public final class ForgePrompts {
    /** Each refusal code, what it means, and what to do about it. */
    static final Map<String, String> REFUSALS = Map.ofEntries(
            Map.entry("kill_switch", "Spending on the node is frozen by the kill switch, because someone saw something "
                    + "wrong. Nothing can be spent until the operator releases it. Stop, and tell the person you work for."),
            Map.entry("budget_request", "This one spend is larger than your policy allows for a single request. Ask for "
                    + "less (fewer max_tokens, a smaller model), or ask the operator to raise your limit."),
            Map.entry("budget_hour", "Your spending in the last hour (a rolling hour) plus this spend passes your hourly "
                    + "limit. Wait until older spends leave the window, or spend less per call."),
            Map.entry("budget_lifetime", "Your total spending would pass your lifetime limit. Only the operator can raise it."),
            Map.entry("velocity", "You made too many spends too quickly, so your spending is paused for a few minutes. "
                    + "Slow down: batch work into fewer, larger calls."),
            Map.entry("circuit_open", "The model failed several times in a row, so calls to it fail fast for a while. "
                    + "Try again in a few seconds, or route to another model."),
            Map.entry("approval_required", "This spend is above your approval threshold, so a human must approve it. It "
                    + "is held, not refused: ask the operator to approve the approval id, then call again with approval_id."),
            Map.entry("approval_denied", "A human declined this spend, or the approval expired; its hold was released. "
                    + "Do not retry it unchanged."),
            Map.entry("insufficient_funds", "You do not hold enough CU. Check balance; earn, withdraw from the pool, or "
                    + "borrow (see credit), or ask for less."),
            Map.entry("policy_unavailable", "A safety check could not decide, so Forge refused to be safe. Try again "
                    + "later and tell the operator."),
            Map.entry("credit_too_low", "Your credit score is below what borrowing needs. Trade more and repay loans "
                    + "on time; call credit to see how the score is made."),
            Map.entry("queue_full", "The model is busy: too many requests are waiting. Try again shortly."),
            Map.entry("prompt_too_long", "The prompt plus max_tokens does not fit the model's context. Shorten the "
                    + "prompt or lower max_tokens."),
            Map.entry("invalid_argument", "An argument was missing or wrong; the message says which. Fix it and call again."),
            Map.entry("unauthorized", "Your token may not do this: agents act only for themselves, and some calls are "
                    + "the operator's alone."));

    private ForgePrompts() {
    }

    /** Asks the model to plan a task so that it fits what the agent may still spend. */
    public static String planWithinBudget(String task, Budget budget) {
        return """
                Plan this task so that it fits my Forge budget, before spending anything.

                Task: %s

                What I may spend now:
                - balance: %s CU (available: %s CU)
                - at most %s CU per request, %s CU per rolling hour (spent this hour: %s CU)
                - spends above %s CU wait for a human's approval
                Prices now, per 1,000 tokens: %s

                Give a plan in steps. For each step: the model to use, the most tokens it needs
                (prompt plus max_tokens), and its maximum cost from the prices above. Keep every
                step under the per-request limit and the total under what is left this hour.
                Prefer the smallest model that can do a step well; say where a bigger model is
                worth its price. If the task cannot fit, say what to cut or when the budget allows it.
                """.formatted(task, budget.balance(), budget.available(), budget.maxPerRequest(), budget.maxPerHour(),
                budget.spentThisHour(), budget.approvalThreshold(), budget.prices());
    }

    /** Explains, for an agent or its user, why a spend was refused or held, and what to do. */
    public static String explainRefusal(String code, String message) {
        String normalized = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
        String meaning = REFUSALS.getOrDefault(normalized, "Forge refused this call with code '" + normalized
                + "'. The message says why; the safety tool shows the limits in force.");
        return """
                A Forge spend was refused or held.

                Code: %s
                Message: %s

                What it means and what to do: %s

                Explain this to the user in two or three plain sentences, and propose the next step.
                """.formatted(normalized, message == null || message.isBlank() ? "(none given)" : message, meaning);
    }

    /** What an agent may spend now, as CU decimal strings. */
    public record Budget(String balance, String available, String maxPerRequest, String maxPerHour, String spentThisHour,
                         String approvalThreshold, String prices) {
    }
}
