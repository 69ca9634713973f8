package dev.forge.node.http;

import dev.forge.node.NodeMetrics;
import dev.forge.node.mcp.Refused;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refusals on the OpenAI-compatible surface in OpenAI's shape, {@code {"error": {"message",
 * "type", "param", "code"}}}, so that OpenAI clients report them as they report OpenAI's. The
 * code, status and sentence are {@link Refused}'s, as on every other surface; Forge's own fields
 * (an approval's id and amount) ride inside the error object.
 */
final class OpenAiErrors {
    private OpenAiErrors() {
    }

    static Response response(RuntimeException e, NodeMetrics metrics) {
        Refused refused = Refused.of(e).report(e, "openai", metrics);
        return Response.status(refused.status()).type(MediaType.APPLICATION_JSON).entity(body(refused)).build();
    }

    static Map<String, Object> body(Refused refused) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", refused.message());
        error.put("type", type(refused.status()));
        error.put("param", null);
        error.put("code", refused.code());
        error.putAll(refused.fields());
        return Map.of("error", error);
    }

    /** OpenAI's error types by status. */
    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
