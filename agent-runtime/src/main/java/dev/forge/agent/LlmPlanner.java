package dev.forge.agent;

import dev.forge.economy.market.Cu;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.tool.ToolExecution;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A planner that asks a language model: a LangChain4j {@code AiServices} agent on any
 * {@link ChatModel} (a local model, or an OpenAI-compatible endpoint such as a Forge node's
 * {@code /v1}), given the node's MCP tools through {@link McpToolProvider} with the agent's own
 * token, filtered to {@link #TOOLS}: the ones that read, and the lending ones ({@link LendingCalls}).
 * It never gets {@code kill}, an operator tool, or a tool that orders or lends. A lending call is the
 * model's proposal: the agent's {@link Guard} checks it like any planner's decision, and the agent
 * makes it (a call the guard declines is never sent). Without one, its answer's first decision word
 * (buy, wait, skip or stop) is what the agent does; an answer with none is a wait. After the last
 * task the runtime repays what is owed whatever the model said ({@link #settle}).
 */
public final class LlmPlanner implements Planner, AutoCloseable {
    /** The tools that only read: none spends, lends, borrows or stops the node. */
    public static final List<String> READ_TOOLS = List.of("balance", "pricing", "providers", "route", "trades", "network",
            "credit", "pool", "loans", "safety");
    /** Every tool the model is offered: the read-only ones and the lending ones, whose calls the agent makes after its guard. */
    public static final List<String> TOOLS = java.util.stream.Stream.concat(READ_TOOLS.stream(), LendingCalls.TOOLS.stream()).toList();
    /** Tool round trips in one decision (LangChain4j would allow 100). */
    static final int MAX_TOOL_CALLS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern WORD = Pattern.compile("\\b(buy|wait|skip|stop)\\b", Pattern.CASE_INSENSITIVE);
    private static final String SYSTEM = "You plan the spending of an AI agent on a Forge compute market. You may call the "
            + "node's tools to look at your balance, the prices, the providers, your credit and the pool. You may borrow "
            + "within your credit when you are short for the tier a task deserves, repay a loan (before its term ends), or "
            + "move CU between your account and your key's account (orders are paid from the key's); your agent checks "
            + "such a call against its limits and makes it. Otherwise answer with one word first: buy (order the task from "
            + "the cheapest offer at the tier it deserves), wait, skip (give the task up) or stop (end the run), and say why "
            + "in one sentence.";
    /** After the tasks, loans are repaid by the rules, whatever the model would say. */
    private static final Planner SETTLE = new EconomicPlanner();

    /** What LangChain4j implements: one question, the model's answer and the tools it ran. */
    interface Advisor {
        Result<String> decide(String situation);
    }

    private final McpClient client;
    private final LendingCalls tools;
    private final Advisor advisor;

    /** A planner on {@code model}, whose tools are the node's at {@code node}/mcp, called with {@code token}. */
    public LlmPlanner(ChatModel model, URI node, String token) {
        var transport = StreamableHttpMcpTransport.builder().url(node.resolve("/mcp").toString()).setHttpVersion1_1()
                .customHeaders(Map.of("Authorization", "Bearer " + token)).timeout(TIMEOUT).build();
        this.client = DefaultMcpClient.builder().transport(transport).clientName("forge-llm-planner")
                .toolExecutionTimeout(TIMEOUT).build();
        this.tools = new LendingCalls(McpToolProvider.builder().mcpClients(client).filterToolNames(TOOLS).build());
        this.advisor = AiServices.builder(Advisor.class).chatModel(model).systemMessage(SYSTEM).toolProvider(tools)
                .maxSequentialToolsInvocations(MAX_TOOL_CALLS).build();
    }

    /** A planner on {@code model} as the node at {@code node} serves it on its OpenAI-compatible {@code /v1}, paid by the agent. */
    public static LlmPlanner onNode(URI node, String token, String model) {
        var chat = OpenAiChatModel.builder().baseUrl(node.resolve("/v1").toString()).apiKey(token).modelName(model)
                .timeout(TIMEOUT).build();
        return new LlmPlanner(chat, node, token);
    }

    @Override
    public Decision decide(Snapshot seen, Task task, List<Task> ahead, RuledOut ruledOut) {
        if (seen.killSwitch()) {
            return Decision.of(Decision.Kind.WAIT, "the kill switch is on (" + seen.killReason() + "): no spending until it is released");
        }
        Result<String> answer;
        tools.ruledOut(ruledOut);
        try {
            answer = advisor.decide(situation(seen, task));
        } catch (RuntimeException e) {
            return Decision.of(Decision.Kind.WAIT, "the model did not answer: " + shown(String.valueOf(e.getMessage())));
        }
        String text = answer.content() == null ? "" : answer.content().strip();
        String looked = answer.toolExecutions().isEmpty() ? "called no tool"
                : "called " + answer.toolExecutions().stream().map(ToolExecution::request).map(r -> r.name())
                        .collect(Collectors.joining(", "));
        Optional<ToolExecution> proposed = answer.toolExecutions().stream()
                .filter(e -> LendingCalls.PROPOSED.equals(e.result()) && LendingCalls.kind(e.request().name()).isPresent()).findFirst();
        if (proposed.isPresent()) {
            var call = proposed.get().request();
            return LendingCalls.decision(call, seen, "the model " + looked + " and proposed " + call.name() + " "
                    + shown(String.valueOf(call.arguments())));
        }
        String why = "the model " + looked + " and answered «" + shown(text) + "»";
        Matcher word = WORD.matcher(text);
        if (!word.find()) return Decision.of(Decision.Kind.WAIT, why + ", which is no decision: wait");
        return switch (word.group(1).toLowerCase(Locale.ROOT)) {
            case "buy" -> buy(seen, task, ruledOut, why);
            case "skip" -> Decision.of(Decision.Kind.SKIP, why);
            case "stop" -> Decision.of(Decision.Kind.STOP, why);
            default -> Decision.of(Decision.Kind.WAIT, why);
        };
    }

    /** The runtime's last step: the rules planner's, so that no loan runs to its term whatever the model does. */
    @Override
    public Decision settle(Snapshot seen) {
        return SETTLE.settle(seen);
    }

    /** What the model is told: the task and what the agent saw, in a few lines. */
    static String situation(Snapshot seen, Task task) {
        String offers = seen.offers().stream().map(o -> o.key() + " (" + o.tier().name().toLowerCase(Locale.ROOT) + ", "
                + Cu.format(o.pricePerKiloToken()) + " CU/1k tokens)").collect(Collectors.joining("; "));
        String loans = seen.activeLoans().stream().map(l -> l.id() + " owes " + Cu.format(l.owed()) + " CU, due at " + l.dueAt())
                .collect(Collectors.joining("; "));
        return "Task " + task.id() + " deserves the " + task.needs().name().toLowerCase(Locale.ROOT) + " tier and is worth "
                + Cu.format(task.value()) + " CU; it takes up to " + task.maxTokens() + " tokens. I can pay " + Cu.format(seen.spendable())
                + " CU for orders; my account has " + Cu.format(seen.available()) + " CU. " + (seen.mayBorrow() ? "I may borrow at "
                + seen.collateralPercent() + "% collateral; the pool has " + Cu.format(seen.poolCash()) + " CU." : "I may not borrow.")
                + " Loans: " + (loans.isEmpty() ? "none" : loans) + ". Offers: " + (offers.isEmpty() ? "none" : offers) + ".";
    }

    /** The cheapest offer the agent can pay at the tier the task deserves or above, else the cheapest it can pay. */
    private static Decision buy(Snapshot seen, Task task, RuledOut ruledOut, String why) {
        var payable = seen.offers().stream().filter(o -> !ruledOut.offer(o) && o.worstCase(task) <= seen.spendable())
                .sorted(Comparator.comparingLong((Offer o) -> o.worstCase(task))).toList();
        Optional<Offer> offer = payable.stream().filter(o -> o.tier().compareTo(task.needs()) >= 0).findFirst()
                .or(() -> payable.stream().findFirst());
        if (offer.isEmpty()) return Decision.of(Decision.Kind.WAIT, why + ", but no offer is within what I can pay: wait");
        return Decision.buy(offer.get(), offer.get().worstCase(task), why + ": " + offer.get().key() + " for at most "
                + Cu.format(offer.get().worstCase(task)) + " CU");
    }

    private static String shown(String text) {
        String one = text.replaceAll("\\s+", " ");
        return one.length() <= 120 ? one : one.substring(0, 120) + "…";
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            // The planner is done; a failed goodbye to the node changes nothing.
        }
    }
}
