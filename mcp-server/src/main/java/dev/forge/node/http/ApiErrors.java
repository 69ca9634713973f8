package dev.forge.node.http;

import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.market.MarketException;
import dev.forge.inference.InferenceException;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import java.util.Map;

/** Every refusal as {@code {"error": code, "message": sentence}} with a fitting HTTP status. */
@Provider
public class ApiErrors implements ExceptionMapper<Exception> {
    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException web) return web.getResponse().hasEntity() ? web.getResponse() : plain(web);
        Map<String, Object> body = body(e);
        dev.forge.node.NodeMetrics.refusal(String.valueOf(body.get("error")));
        return Response.status(status(e)).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    /** The framework's own refusals (a body it could not read, a method not allowed) get a JSON body too. */
    private static Response plain(WebApplicationException web) {
        int status = web.getResponse().getStatus();
        String code = switch (status) {
            case 400 -> "invalid_argument";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406, 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "invalid_argument";
        };
        String message = status == 400 ? JsonExceptionMapper.MESSAGE : web.getResponse().getStatusInfo().getReasonPhrase();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", code, "message", message == null ? code : message)).build();
    }

    /** The refusal as every surface reports it: the stable code and the sentence (and an approval id). */
    static Map<String, Object> body(Exception e) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", code(e));
        body.put("message", String.valueOf(e.getMessage()));
        if (e instanceof dev.forge.node.ApprovalRequired a) {
            body.put("approval_id", a.approvalId());
            body.put("amount_cu", dev.forge.economy.market.Cu.format(a.amount()));
        }
        return body;
    }

    private static int status(Exception e) {
        return switch (e) {
            case dev.forge.node.ApprovalRequired a -> 409;
            case dev.forge.node.mcp.ToolException t when t.code().equals("unauthorized") -> 403;
            case dev.forge.node.mcp.ToolException t when t.code().equals("not_found") -> 404;
            case dev.forge.node.mcp.ToolException t -> 400;
            case PolicyException p when p.refusal() == Refusal.UNAUTHORIZED -> 403;
            case PolicyException p when p.refusal() == Refusal.INVALID_ARGUMENT -> 400;
            case PolicyException p -> 409;
            case InferenceException i when i.code() == InferenceException.Code.UNKNOWN_MODEL -> 404;
            case InferenceException i when i.code() == InferenceException.Code.QUEUE_FULL -> 429;
            case InferenceException i when i.code() == InferenceException.Code.ENGINE_FAILURE -> 502;
            case MarketException m -> 400;
            case InferenceException i -> 400;
            case LedgerException l -> 400;
            case IllegalArgumentException i -> 400;
            default -> 500;
        };
    }

    private static String code(Exception e) {
        return switch (e) {
            case dev.forge.node.ApprovalRequired a -> "approval_required";
            case dev.forge.node.mcp.ToolException t -> t.code();
            case PolicyException p -> p.refusal().code();
            case MarketException m -> m.code().code();
            case InferenceException i -> i.code().code();
            case LedgerException l -> l.error().name().toLowerCase(Locale.ROOT);
            case IllegalArgumentException i -> "invalid_argument";
            default -> {
                System.err.println("forge: request failed: " + e);
                yield "internal_error";
            }
        };
    }
}
