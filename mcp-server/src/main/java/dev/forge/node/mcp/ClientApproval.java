package dev.forge.node.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Asks the person behind an MCP client to approve a spend (form-mode elicitation). Whether the
 * answer counts is not decided here: the spend gate asks only attended agents' clients.
 */
final class ClientApproval {
    private ClientApproval() {
    }

    /** The way to ask this call's client, or null when it cannot be asked (no elicitation). */
    static Function<String, Optional<Boolean>> of(ToolCall call) {
        return call.canAskHuman() ? question -> ask(call, question) : null;
    }

    /** Accept with approve is yes, decline is no; cancel, or a client that fails to answer, is no answer. */
    private static Optional<Boolean> ask(ToolCall call, String question) {
        var request = McpSchema.ElicitRequest.builder().message(question)
                .requestedSchema(Map.of("type", "object", "properties", Map.of("approve", Map.of("type", "boolean",
                        "description", "approve this spend")), "required", List.of("approve")))
                .build();
        McpSchema.ElicitResult result;
        try {
            result = call.exchange().createElicitation(request);
        } catch (RuntimeException noAnswer) {
            return Optional.empty();  // the spend stays held for the operator
        }
        return switch (result.action()) {
            case ACCEPT -> Optional.of(result.content() != null && Boolean.TRUE.equals(result.content().get("approve")));
            case DECLINE -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}
