package dev.forge.node.mcp;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.market.Cu;
import dev.forge.economy.statement.Statement;
import dev.forge.node.ForgeNode;
import dev.forge.node.app.Amount;
import dev.forge.node.app.StatementView;
import dev.forge.policies.Actor;
import dev.forge.policies.SafetyStatus;
import dev.forge.prompts.ForgePrompts;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MCP prompts (texts from the prompts module, filled with the caller's live numbers) and
 * resources: the caller's statement, the policy in force, the network's Merkle root.
 */
public final class PromptsAndResources {
    private static final long DAY = 86_400_000L;

    private final ForgeNode node;

    public PromptsAndResources(ForgeNode node) {
        this.node = node;
    }

    /** The longest task a plan is asked for: a paragraph or two, not a document. */
    static final int MAX_TASK = 4_000;

    public record PlanArguments(
            @Size(min = 1, max = MAX_TASK) @JsonPropertyDescription("what you want done") String task) {
    }

    public record ExplainArguments(
            @Size(min = 1, max = 64) @JsonPropertyDescription("the error code the tool returned") String code,
            @Nullable @Size(max = 2_000) @JsonPropertyDescription("the message that came with it") String message) {
    }

    /** Each prompt's arguments are its record's fields (names, meanings, which are required), read by its schema. */
    public List<McpServerFeatures.SyncPromptSpecification> prompts() {
        var plan = new McpSchema.Prompt("plan_within_budget", "Plan a task within my budget",
                "Plans a task in steps whose model, tokens and cost fit what you may still spend now.",
                arguments(PlanArguments.class));
        var explain = new McpSchema.Prompt("explain_refusal", "Explain a refused or held spend",
                "Explains a refusal code (kill_switch, budget_hour, approval_required, ...) and what to do next.",
                arguments(ExplainArguments.class));
        return List.of(new McpServerFeatures.SyncPromptSpecification(plan, (exchange, request) -> {
                    var given = ForgeMcp.read(PlanArguments.class, request.arguments());
                    return user("A plan within budget", ForgePrompts.planWithinBudget(given.task(), budget(actor(exchange))));
                }),
                new McpServerFeatures.SyncPromptSpecification(explain, (exchange, request) -> {
                    var given = ForgeMcp.read(ExplainArguments.class, request.arguments());
                    return user("Why a spend was refused", ForgePrompts.explainRefusal(given.code(), given.message()));
                }));
    }

    private static List<McpSchema.PromptArgument> arguments(Class<?> record) {
        var schema = ToolSchemas.of(record);
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        List<McpSchema.PromptArgument> arguments = new ArrayList<>();
        schema.path("properties").properties().forEach(p -> arguments.add(new McpSchema.PromptArgument(p.getKey(),
                p.getValue().path("description").asText(), required.contains(p.getKey()))));
        return arguments;
    }

    public List<McpServerFeatures.SyncResourceSpecification> resources() {
        return List.of(resource("forge://statement", "Your statement", "Your settlement statement for the last 24 hours, "
                        + "signed by the node: entries, totals, trades with Merkle proofs.", this::statement),
                resource("forge://policy", "Policy in force", "Your budget policy, spending, and the kill switch.", this::policy),
                resource("forge://network/root", "Merkle root", "The Merkle root over every trade and the trade count.",
                        actor -> new Root(HexFormat.of().formatHex(node.ledger().merkleRoot()), node.ledger().logSize())));
    }

    private McpServerFeatures.SyncResourceSpecification resource(String uri, String title, String description,
                                                                  java.util.function.Function<Actor, Object> read) {
        var resource = McpSchema.Resource.builder().uri(uri).name(uri.substring("forge://".length())).title(title)
                .description(description).mimeType("application/json").build();
        return new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) -> {
            try {
                String text = ToolSchemas.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(read.apply(actor(exchange)));
                return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, "application/json", text)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Object statement(Actor actor) {
        String account = agent(actor);
        long now = System.currentTimeMillis();
        Statement s = node.statements().statement(account, now - DAY, now + 1);
        return StatementView.of(s);
    }

    /** {@code forge://network/root}. */
    public record Root(
            @JsonPropertyDescription("hex SHA-256 root over every entry of the Merkle log") String merkleRoot,
            @JsonPropertyDescription("entries in the log: trades and settled work") long tradeCount) {
    }

    /** {@code forge://policy}: the caller's budget policy, its spending, and the kill switch. */
    public record Policy(
            @JsonPropertyDescription("the agent") String agent,
            @JsonPropertyDescription("the most one spend may cost") Amount maxPerRequestCu,
            @JsonPropertyDescription("the most spent in any hour") Amount maxPerHourCu,
            @JsonPropertyDescription("the most spent ever") Amount maxLifetimeCu,
            @JsonPropertyDescription("spends above this wait for a human") Amount approvalThresholdCu,
            @JsonPropertyDescription("spent in the last hour") Amount spentLastHourCu,
            @JsonPropertyDescription("spending is frozen") boolean killSwitch) {
    }

    private Policy policy(Actor actor) {
        SafetyStatus s = node.pipeline().status(actor, agent(actor));
        var p = s.policy();
        return new Policy(s.agent(), Amount.of(p.maxPerRequest()), Amount.of(p.maxPerHour()), Amount.of(p.maxLifetime()),
                Amount.of(p.approvalThreshold()), Amount.of(s.spentLastHour()), s.kill().active());
    }

    private ForgePrompts.Budget budget(Actor actor) {
        String agent = agent(actor);
        var account = node.ledger().account(agent).orElseThrow();
        SafetyStatus s = node.pipeline().status(actor, agent);
        String prices = node.market().pricing().stream().map(p -> p.tier().name().toLowerCase(Locale.ROOT) + " "
                + Cu.format(p.pricePerKiloToken()) + " CU").collect(Collectors.joining(", "));
        return new ForgePrompts.Budget(Cu.format(account.balance()), Cu.format(account.available()),
                Cu.format(s.policy().maxPerRequest()), Cu.format(s.policy().maxPerHour()), Cu.format(s.spentLastHour()),
                Cu.format(s.policy().approvalThreshold()), prices);
    }

    private static McpSchema.GetPromptResult user(String description, String text) {
        return new McpSchema.GetPromptResult(description, List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
                new McpSchema.TextContent(text))));
    }

    private static Actor actor(McpSyncServerExchange exchange) {
        Actor actor = (Actor) exchange.transportContext().get(ForgeMcp.ACTOR);
        if (actor == null) throw new IllegalStateException("no valid bearer token came with this session");
        return actor;
    }

    private static String agent(Actor actor) {
        if (actor.isOperator()) throw new IllegalArgumentException("the operator has no account; use an agent's token");
        return actor.id();
    }
}
