package dev.forge.node.mcp;

import dev.forge.node.app.CallRefused;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.market.Cu;
import dev.forge.economy.market.MarketException;
import dev.forge.inference.InferenceException;
import dev.forge.node.ApprovalRequired;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A refusal as every surface reports it, mapped here and nowhere else: the stable code, a
 * sentence, the extra fields a caller acts on ({@code approval_id}, {@code amount_cu}) and the
 * HTTP status. MCP sends {@link #body()} as a tool error's structured content (and its text);
 * REST sends it as the JSON body with {@link #status()}.
 */
public record Refused(String code, String message, Map<String, Object> fields, int status) {
    public static final String INTERNAL = "internal_error";
    static final String INTERNAL_MESSAGE = "the node failed to answer this call; its operator can read why in the node's log";

    public Refused {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** What the exception means to a caller; anything not a known refusal is {@code internal_error} (500). */
    public static Refused of(Throwable e) {
        String code = code(e);
        // A failure that is not a refusal may name files or classes: the caller gets a fixed sentence, stderr the rest.
        String message = code.equals(INTERNAL) ? INTERNAL_MESSAGE : e.getMessage() == null ? code : e.getMessage();
        Map<String, Object> fields = new LinkedHashMap<>();
        if (e instanceof ApprovalRequired a) {
            fields.put("approval_id", a.approvalId());
            fields.put("amount_cu", Cu.format(a.amount()));
        }
        return new Refused(code, message, fields, status(e));
    }

    /** {@code {"error": code, "message": sentence, ...fields}} in that order. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        body.putAll(fields);
        return body;
    }

    /** A refusal of the HTTP layer's own (a wrong Host, a body sent nowhere), with no fields beyond the two. */
    public static Refused of(String code, String message, int status) {
        return new Refused(code, message, Map.of(), status);
    }

    /** {@link #body()} as JSON text, for answers written before any framework reads the request. */
    public String json() {
        try {
            return ToolSchemas.JSON.writeValueAsString(body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Counts the refusal by its code and, for a failure that is not a refusal, says what broke. */
    public Refused report(Throwable e, String surface, dev.forge.node.NodeMetrics metrics) {
        metrics.refusal(code);
        if (code.equals(INTERNAL)) {
            System.err.println("forge: " + surface + " failed: " + e);
            e.printStackTrace(System.err);
        }
        return this;
    }

    private static String code(Throwable e) {
        return switch (e) {
            case CallRefused t -> t.code();
            case ApprovalRequired a -> "approval_required";
            case PolicyException p -> p.refusal().code();
            case MarketException m -> m.code().code();
            case InferenceException i -> i.code().code();
            case dev.forge.grid.RemoteWorkException r -> r.refusal().code();
            case LedgerException l -> l.error().name().toLowerCase(Locale.ROOT);
            case IllegalArgumentException i -> "invalid_argument";
            default -> INTERNAL;
        };
    }

    private static int status(Throwable e) {
        return switch (e) {
            case ApprovalRequired a -> 409;
            case CallRefused t when t.code().equals("unauthorized") -> 403;
            case CallRefused t when t.code().equals("not_found") -> 404;
            case CallRefused t -> 400;
            case PolicyException p when p.refusal() == Refusal.UNAUTHORIZED -> 403;
            case PolicyException p when p.refusal() == Refusal.INVALID_ARGUMENT -> 400;
            case PolicyException p -> 409;
            case InferenceException i when i.code() == InferenceException.Code.UNKNOWN_MODEL -> 404;
            case InferenceException i when i.code() == InferenceException.Code.QUEUE_FULL -> 429;
            case InferenceException i when i.code() == InferenceException.Code.ENGINE_FAILURE -> 502;
            case InferenceException i -> 400;
            case dev.forge.grid.RemoteWorkException r -> remoteStatus(r.refusal());
            case MarketException m -> 400;
            case LedgerException l -> 400;
            case IllegalArgumentException i -> 400;
            default -> 500;
        };
    }

    /** A remote chat's failure: nobody to serve it is 503, a seller that failed or delivered wrong is 502. */
    private static int remoteStatus(dev.forge.grid.RemoteRefusal refusal) {
        return switch (refusal) {
            case NO_PROVIDER, BUSY, CREDIT_EXCEEDED -> 503;
            case UNKNOWN_MODEL -> 404;
            case PRICE_TOO_HIGH, EXPIRED, REPLAYED -> 409;
            default -> 502;
        };
    }
}
