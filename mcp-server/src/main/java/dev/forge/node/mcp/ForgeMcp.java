package dev.forge.node.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.market.MarketException;
import dev.forge.inference.InferenceException;
import dev.forge.node.ApprovalRequired;
import dev.forge.node.ForgeNode;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Forge's MCP tools as MCP SDK specifications. The caller's actor comes from the transport
 * context (the HTTP layer puts it there after checking the bearer token). Every refusal
 * becomes a tool error ({@code isError: true}) whose text is a JSON object with the stable code
 * and a sentence; nothing a tool throws escapes as a protocol error.
 */
public final class ForgeMcp {
    public static final String ACTOR = "forge.actor";
    /** The transport context key of a {@code BooleanSupplier}: has the client hung up on this request? */
    public static final String CLIENT_GONE = "forge.client-gone";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ForgeTool> tools = new ArrayList<>();

    public ForgeMcp(ForgeNode node) {
        tools.addAll(new EconomyTools(node).tools());
        tools.add(new ChatTool(node).tool());
        tools.addAll(new SafetyTools(node).tools());
        tools.addAll(new LendingTools(node).tools());
    }

    public List<McpServerFeatures.SyncToolSpecification> specifications() {
        return tools.stream().map(t -> McpServerFeatures.SyncToolSpecification.builder().tool(t.tool())
                .callHandler((exchange, request) -> call(t, exchange, request)).build()).toList();
    }

    /**
     * Runs a tool for the REST API: the same handler, arguments and checks as over MCP; a
     * refusal is thrown (ToolException or the domain's own) for the HTTP layer to map.
     */
    public Map<String, Object> invoke(String name, Actor actor, Map<String, Object> arguments) {
        ForgeTool tool = tools.stream().filter(t -> t.tool().name().equals(name)).findFirst()
                .orElseThrow(() -> new ToolException("not_found", "no such call: " + name));
        return tool.handler().apply(new ToolCall(actor, new Args(arguments, tool.arguments()), null, null));
    }

    private static McpSchema.CallToolResult call(ForgeTool tool, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            Actor actor = (Actor) exchange.transportContext().get(ACTOR);
            if (actor == null) throw new ToolException("unauthorized", "no valid bearer token came with this session");
            var call = new ToolCall(actor, new Args(request.arguments(), tool.arguments()), exchange, request.meta());
            Map<String, Object> result = tool.handler().apply(call);
            return McpSchema.CallToolResult.builder().structuredContent(result).addTextContent(JSON.writeValueAsString(result))
                    .isError(false).build();
        } catch (Exception e) {
            return error(e);
        }
    }

    static McpSchema.CallToolResult error(Exception e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code(e));
        body.put("message", e.getMessage());
        if (e instanceof ApprovalRequired a) {
            body.put("approval_id", a.approvalId());
            body.put("amount_cu", dev.forge.economy.market.Cu.format(a.amount()));
        }
        dev.forge.node.NodeMetrics.refusal(String.valueOf(body.get("error")));
        if (body.get("error").equals("internal_error")) {
            System.err.println("forge: tool failed: " + e);
            e.printStackTrace(System.err);
        }
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (Exception impossible) {
            text = body.toString();
        }
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }

    private static String code(Exception e) {
        return switch (e) {
            case ToolException t -> t.code();
            case ApprovalRequired a -> "approval_required";
            case PolicyException p -> p.refusal().code();
            case MarketException m -> m.code().code();
            case InferenceException i -> i.code().code();
            case LedgerException l -> l.error().name().toLowerCase(Locale.ROOT);
            case IllegalArgumentException i -> "invalid_argument";
            default -> "internal_error";
        };
    }
}
