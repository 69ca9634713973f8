package dev.forge.node.http;

import dev.forge.node.mcp.Refused;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** Every refusal as {@code {"error": code, "message": sentence}} with its HTTP status, both from {@link Refused}. */
@Provider
public class ApiErrors implements ExceptionMapper<Exception> {
    @jakarta.inject.Inject
    dev.forge.node.ForgeNode node;

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException web) return web.getResponse().hasEntity() ? web.getResponse() : plain(web);
        Refused refused = Refused.of(e).report(e, "request", node.metrics());
        return Response.status(refused.status()).type(MediaType.APPLICATION_JSON).entity(refused.body()).build();
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
                .entity(Refused.of(code, message == null ? code : message, status).body()).build();
    }

    /** The refusal as every surface reports it ({@link Refused#body()}): the stable code, the sentence, an approval's fields. */
    static Map<String, Object> body(Exception e) {
        return Refused.of(e).body();
    }
}
