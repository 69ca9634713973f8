package dev.forge.node.http;

import io.undertow.servlet.spec.HttpServletRequestImpl;
import io.vertx.ext.web.RoutingContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.util.function.BooleanSupplier;

/**
 * Whether the client of a request has hung up, so that a chat nobody waits for stops between
 * tokens. The servlet API cannot tell; Quarkus' undertow runs on vert.x, whose response knows.
 */
public final class ClientConnection {
    private static final BooleanSupplier UNKNOWN = () -> false;

    private ClientConnection() {
    }

    /** For a servlet request (MCP); never gone when the request is not served by vert.x. */
    public static BooleanSupplier goneFor(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) inner = wrapper.getRequest();
        if (!(inner instanceof HttpServletRequestImpl undertow)) return UNKNOWN;
        Object context = undertow.getExchange().getDelegate() instanceof io.undertow.vertx.VertxHttpExchange vertx
                ? vertx.getContext() : null;
        if (context instanceof RoutingContext routing) return routing.response()::closed;
        if (context instanceof io.vertx.core.http.HttpServerRequest vertxRequest) return vertxRequest.response()::closed;
        return UNKNOWN;
    }
}
