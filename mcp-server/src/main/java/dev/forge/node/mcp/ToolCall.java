package dev.forge.node.mcp;

import dev.forge.policies.Actor;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** One call of a tool: who makes it, its checked arguments, and the session (for progress and elicitation). */
record ToolCall(Actor actor, Args args, McpSyncServerExchange exchange, Map<String, Object> meta) {
    /** Sends a progress notification if the client asked for them (it sent a progress token). */
    void progress(double done, Double total, String message) {
        Object token = meta == null ? null : meta.get("progressToken");
        if (token == null || exchange == null) return;
        exchange.progressNotification(new McpSchema.ProgressNotification(token, done, total, message));
    }

    /** Whether the client hung up on this call (the HTTP connection closed); false when nobody can tell. */
    boolean clientGone() {
        Object gone = exchange == null ? null : exchange.transportContext().get(ForgeMcp.CLIENT_GONE);
        return gone instanceof java.util.function.BooleanSupplier supplier && supplier.getAsBoolean();
    }

    boolean canAskHuman() {
        return exchange != null && exchange.getClientCapabilities() != null
                && exchange.getClientCapabilities().elicitation() != null;
    }
}
