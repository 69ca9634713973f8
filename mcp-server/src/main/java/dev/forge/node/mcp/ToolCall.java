package dev.forge.node.mcp;

import dev.forge.policies.Actor;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Who makes one call of a tool, and its session (for progress and elicitation); no session over REST. */
record ToolCall(Actor actor, McpSyncServerExchange exchange, Map<String, Object> meta) {
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

    /** How to ask the person behind this call's client to approve a spend, or null when it cannot be asked. */
    Function<String, Optional<Boolean>> askHuman() {
        return ClientApproval.of(this);
    }
}
