package dev.forge.node.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.forge.node.mcp.Refused;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body that is not JSON, or not the JSON a call takes (malformed, NaN, invalid UTF-8, a number
 * beyond range): 400 {@code invalid_argument} with a fixed sentence. The parser's own message
 * is not echoed: it can quote the input and name internal classes.
 */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JacksonException> {
    static final String MESSAGE = "the request body is not valid JSON of the form this call takes";

    @jakarta.inject.Inject
    dev.forge.node.ForgeNode node;

    @Override
    public Response toResponse(JacksonException e) {
        return badRequest(node);
    }

    static Response badRequest(dev.forge.node.ForgeNode node) {
        node.metrics().refusal("invalid_argument");
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Refused.of("invalid_argument", MESSAGE, 400).body()).build();
    }

    /** JSON of the wrong shape (an array for an object): Quarkus maps this one itself, to an empty 400, unless we do. */
    @Provider
    public static class Mismatched implements ExceptionMapper<MismatchedInputException> {
        @jakarta.inject.Inject
        dev.forge.node.ForgeNode node;

        @Override
        public Response toResponse(MismatchedInputException e) {
            return badRequest(node);
        }
    }
}
