package dev.forge.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.market.Cu;
import dev.langchain4j.agent.tool.ReturnBehavior;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lending tools as the LLM planner offers them ({@code borrow}, {@code repay}, {@code move_funds}),
 * with the node's own MCP schemas. A call of one does not go from the model to the node: it is the
 * model's proposal, returned at once ({@link ReturnBehavior#IMMEDIATE}), which {@link #decision} turns
 * into a {@link Decision} that the agent's {@link Guard} checks and the agent carries out, journals, and
 * retries with an approval id when the node holds it. A kind refused for this task (by the node or the
 * guard) is answered to the model as refused, and the model goes on. The read-only tools run on the node.
 */
final class LendingCalls implements ToolProvider {
    static final List<String> TOOLS = List.of("borrow", "repay", "move_funds");
    /** What the model is told when it proposes a call (it never reads it: the answer returns at once). */
    static final String PROPOSED = "proposed: the agent checks this call against its own limits and makes it itself";
    private static final int MAX_ARGUMENTS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ToolProvider node;
    private volatile Planner.RuledOut ruledOut = Planner.RuledOut.none();

    LendingCalls(ToolProvider node) {
        this.node = node;
    }

    /** What the node or the guard refused during the task being decided. */
    void ruledOut(Planner.RuledOut ruledOut) {
        this.ruledOut = ruledOut;
    }

    @Override
    public ToolProviderResult provideTools(ToolProviderRequest request) {
        ToolProviderResult offered = node.provideTools(request);
        var tools = ToolProviderResult.builder();
        Planner.RuledOut out = ruledOut;
        offered.tools().forEach((spec, executor) -> {
            Decision.Kind kind = kind(spec.name()).orElse(null);
            if (kind == null) tools.add(spec, executor);
            else if (out.kind(kind)) tools.add(spec, (call, memory) -> "{\"error\":\"ruled_out\",\"message\":\"" + spec.name()
                    + " was refused for this task; decide without it\"}");
            else tools.add(spec, (call, memory) -> PROPOSED, ReturnBehavior.IMMEDIATE);
        });
        return tools.build();
    }

    static Optional<Decision.Kind> kind(String tool) {
        return switch (tool) {
            case "borrow" -> Optional.of(Decision.Kind.BORROW);
            case "repay" -> Optional.of(Decision.Kind.REPAY);
            case "move_funds" -> Optional.of(Decision.Kind.MOVE);
            default -> Optional.empty();
        };
    }

    /** The step a proposed call is, or a wait that says why it cannot be one (arguments read strictly). */
    static Decision decision(ToolExecutionRequest call, Snapshot seen, String why) {
        try {
            JsonNode arguments = arguments(call.arguments());
            return switch (call.name()) {
                case "borrow" -> borrow(arguments, why);
                case "repay" -> repay(arguments, seen, why);
                case "move_funds" -> move(arguments, why);
                default -> throw new IllegalArgumentException("it is not a lending tool");
            };
        } catch (IllegalArgumentException e) {
            return Decision.of(Decision.Kind.WAIT, why + ", which I cannot carry out (" + e.getMessage() + "): wait");
        }
    }

    private static Decision borrow(JsonNode arguments, String why) {
        only(arguments, Set.of("amount_cu", "term_days", "collateral_cu"));
        long amount = amount(arguments, "amount_cu");
        long collateral = amount(arguments, "collateral_cu");
        JsonNode days = arguments.path("term_days");
        if (!days.canConvertToInt() || !days.isIntegralNumber() || days.asInt() < 1 || days.asInt() > 30) {
            throw new IllegalArgumentException("term_days must be a whole number of days from 1 to 30");
        }
        return Decision.borrow(amount, collateral, days.asInt(), why);
    }

    /** In full (no amount) from the key account when its book covers the node's hold, else from the agent account. */
    private static Decision repay(JsonNode arguments, Snapshot seen, String why) {
        only(arguments, Set.of("loan_id", "amount_cu"));
        String id = arguments.path("loan_id").asText("");
        Loan loan = seen.activeLoans().stream().filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no active loan of mine is called '" + shown(id) + "'"));
        if (arguments.has("amount_cu")) return Decision.repay(id, amount(arguments, "amount_cu"), why);
        long hold = Math.addExact(loan.owed(), Math.ceilDiv(loan.owed(), 1_000L));
        if (seen.spendable() >= hold) return Decision.repayFromKey(id, loan.owed(), hold, why);
        if (seen.available() >= hold) return Decision.repayInFull(id, loan.owed(), why);
        throw new IllegalArgumentException(id + " owes " + Cu.format(loan.owed()) + " CU and neither of my accounts holds that");
    }

    private static Decision move(JsonNode arguments, String why) {
        only(arguments, Set.of("amount_cu", "from"));
        String from = arguments.path("from").asText("");
        if (!from.equals("key") && !from.equals("account")) throw new IllegalArgumentException("from must be key or account");
        return Decision.move(from.equals("key"), amount(arguments, "amount_cu"), why);
    }

    private static JsonNode arguments(String text) {
        if (text == null || text.length() > MAX_ARGUMENTS) throw new IllegalArgumentException("its arguments are missing or too long");
        JsonNode arguments;
        try {
            arguments = JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("its arguments are not JSON");
        }
        if (arguments == null || !arguments.isObject()) throw new IllegalArgumentException("its arguments are not a JSON object");
        return arguments;
    }

    private static void only(JsonNode arguments, Set<String> names) {
        for (Iterator<String> it = arguments.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) throw new IllegalArgumentException("unknown argument '" + shown(name) + "'");
        }
    }

    /** A positive amount of CU, written as the node writes them ("2.5"). */
    private static long amount(JsonNode arguments, String name) {
        JsonNode value = arguments.path(name);
        if (!value.isTextual() && !value.isNumber()) throw new IllegalArgumentException(name + " must be an amount of CU");
        long micro = Cu.parse(value.asText());
        if (micro <= 0) throw new IllegalArgumentException(name + " must be more than 0");
        return micro;
    }

    private static String shown(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "…";
    }
}
