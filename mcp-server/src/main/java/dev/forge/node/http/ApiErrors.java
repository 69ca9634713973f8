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
        if (e instanceof WebApplicationException web) return web.getResponse();
        String code;
        int status = 400;
        switch (e) {
            case PolicyException p -> {
                code = p.refusal().code();
                status = p.refusal() == Refusal.UNAUTHORIZED ? 403 : 409;
            }
            case MarketException m -> code = m.code().code();
            case InferenceException i -> {
                code = i.code().code();
                if (i.code() == InferenceException.Code.UNKNOWN_MODEL) status = 404;
                if (i.code() == InferenceException.Code.QUEUE_FULL) status = 429;
            }
            case LedgerException l -> code = l.error().name().toLowerCase(Locale.ROOT);
            case IllegalArgumentException i -> code = "invalid_argument";
            default -> {
                code = "internal_error";
                status = 500;
                System.err.println("forge: request failed: " + e);
            }
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", code, "message", String.valueOf(e.getMessage()))).build();
    }
}
