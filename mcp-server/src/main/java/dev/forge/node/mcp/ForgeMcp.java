package dev.forge.node.mcp;

import dev.forge.node.app.CallRefused;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.node.ChatService;
import dev.forge.node.NodeMetrics;
import dev.forge.node.app.AccountService;
import dev.forge.node.app.LendingService;
import dev.forge.node.app.MarketService;
import dev.forge.node.app.SafetyService;
import dev.forge.node.work.WorkService;
import dev.forge.policies.Actor;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Forge's MCP tools as MCP SDK specifications. The caller's actor comes from the transport
 * context (the HTTP layer puts it there after checking the bearer token). Every refusal
 * becomes a tool error ({@code isError: true}) whose structured content is {@link Refused#body()}
 * (the stable code and a sentence), with the same JSON as text; nothing a tool throws escapes
 * as a protocol error.
 */
public final class ForgeMcp {
    public static final String ACTOR = "forge.actor";
    /** The transport context key of a {@code BooleanSupplier}: has the client hung up on this request? */
    public static final String CLIENT_GONE = "forge.client-gone";
    private static final ObjectMapper JSON = ToolSchemas.JSON;

    private static final Map<Class<?>, Arguments> READERS = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<ForgeTool> tools = new ArrayList<>();
    private final NodeMetrics metrics;

    public ForgeMcp(AccountService accounts, MarketService market, ChatService chats, SafetyService safety,
                    LendingService lending, WorkService work, NodeMetrics metrics) {
        this.metrics = metrics;
        var workTools = new WorkTools(work, market);
        tools.addAll(new EconomyTools(accounts, market, workTools).tools());
        tools.add(new ChatTool(chats).tool());
        tools.addAll(new SafetyTools(safety).tools());
        tools.addAll(new LendingTools(lending).tools());
        tools.addAll(workTools.tools());
    }

    /** The tools as MCP lists them (name, schemas, annotations), for docs and tests. */
    public List<McpSchema.Tool> tools() {
        return tools.stream().map(ForgeTool::tool).toList();
    }

    public List<McpServerFeatures.SyncToolSpecification> specifications() {
        return tools.stream().map(t -> McpServerFeatures.SyncToolSpecification.builder().tool(t.tool())
                .callHandler((exchange, request) -> call(t, exchange, request)).build()).toList();
    }

    /**
     * Runs a tool for the REST API: the same handler, arguments and checks as over MCP; a
     * refusal is thrown (CallRefused or the domain's own) for the HTTP layer to map.
     */
    public Map<String, Object> invoke(String name, Actor actor, Map<String, Object> arguments) {
        return tool(name).run(new ToolCall(actor, null, null), arguments);
    }

    /** {@link #invoke} with arguments written as text (a query string), read as the types the tool declares. */
    public Map<String, Object> invokeText(String name, Actor actor, Map<String, String> arguments) {
        return invoke(name, actor, tool(name).fromText(arguments));
    }

    /**
     * A request record read from a JSON body the way a tool reads its arguments: checked against
     * the record's generated schema, then bound; anything wrong is {@code invalid_argument}.
     */
    @SuppressWarnings("unchecked")
    public static <T> T read(Class<T> type, Map<String, Object> body) {
        return (T) READERS.computeIfAbsent(type, Arguments::new).bind(body);
    }

    /** {@link #read} of arguments written as text (a query string), each read as the type the record's schema gives it. */
    @SuppressWarnings("unchecked")
    public static <T> T readText(Class<T> type, Map<String, String> text) {
        Arguments arguments = READERS.computeIfAbsent(type, Arguments::new);
        return (T) arguments.bind(arguments.fromText(text));
    }

    private ForgeTool tool(String name) {
        return tools.stream().filter(t -> t.tool().name().equals(name)).findFirst()
                .orElseThrow(() -> new CallRefused("not_found", "no such call: " + name));
    }

    private McpSchema.CallToolResult call(ForgeTool tool, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            Actor actor = (Actor) exchange.transportContext().get(ACTOR);
            if (actor == null) throw new CallRefused("unauthorized", "no valid bearer token came with this session");
            Map<String, Object> result = tool.run(new ToolCall(actor, exchange, request.meta()), request.arguments());
            return McpSchema.CallToolResult.builder().structuredContent(result).addTextContent(JSON.writeValueAsString(result))
                    .isError(false).build();
        } catch (Exception e) {
            return error(e);
        }
    }

    /** A refusal as a tool error: the code and fields as structured content, and the same JSON as text. */
    private McpSchema.CallToolResult error(Exception e) {
        Map<String, Object> body = Refused.of(e).report(e, "tool", metrics).body();
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (Exception impossible) {
            text = body.toString();
        }
        return McpSchema.CallToolResult.builder().structuredContent(body).addTextContent(text).isError(true).build();
    }
}
