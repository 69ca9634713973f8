package dev.forge.node.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forge.node.ForgeNode;
import dev.forge.node.mcp.Refused;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's front door, run on the event loop before any servlet or REST handler:
 *
 * <ul>
 *   <li>a Host that is not the node's own loopback name gets 421 (DNS rebinding);
 *   <li>every answer forbids framing;
 *   <li>{@code /mcp} and {@code /v1} without a valid bearer token get 401 on the headers alone,
 *       and the connection is closed, so an unauthenticated body is never read;
 *   <li>a body sent anywhere else gets 404 on its headers: no Forge path outside those two takes one;
 *   <li>an MCP request is bounded in size and must deliver its body within a deadline, after
 *       which the connection is closed and the worker thread reading it is freed.
 * </ul>
 * The MCP servlet reads bodies on worker threads: 200 slow bodies used to hold every worker and
 * freeze the node, REST and /health included. {@link OpenRequests} bounds them per token.
 */
@ApplicationScoped
public class HttpGuard {
    /** An MCP message: a 200,000-character prompt fits even if JSON escapes every character to six bytes. */
    static final long MCP_BODY = 2L * 1024 * 1024;
    /** An initialize (no session yet): real clients send under 1 KB; this bounds what a session keeps. */
    static final long INITIALIZE_BODY = 16 * 1024;
    private static final com.fasterxml.jackson.databind.ObjectMapper RPC = new com.fasterxml.jackson.databind.ObjectMapper();

    @Inject
    Instance<ForgeNode> nodes;

    @Inject
    Vertx vertx;

    /** An MCP body must arrive whole within this; loopback delivers 2 MB in milliseconds. */
    @ConfigProperty(name = "forge.http.body-deadline", defaultValue = "10s")
    Duration bodyDeadline;

    /** Names besides loopback that this node answers to (a reverse proxy's name, for example). */
    @ConfigProperty(name = "forge.http.allowed-hosts")
    Optional<List<String>> allowedHosts;

    private volatile ForgeNode node;

    void register(@Observes Filters filters) {
        filters.register(this::guard, 1_000);
    }

    void guard(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> forbidFraming(rc));
        HttpServerRequest request = rc.request();
        if (!hostAllowed(request)) {
            refuse(rc, 421, Refused.of("misdirected_request", "this node answers only to its own "
                    + "loopback address (127.0.0.1, localhost or [::1] with its port)", 421).json());
            return;
        }
        String path = rc.normalizedPath();
        boolean mcp = path.equals("/mcp") || path.startsWith("/mcp/");
        boolean rest = path.equals("/v1") || path.startsWith("/v1/");
        String token = Bearer.token(request.getHeader("Authorization"));
        if ((mcp || rest) && !authorized(rc, token, mcp)) return;
        if (mcp) {
            admitMcp(rc);
        } else if (!rest && hasBody(request)) {
            refuse(rc, 404, Refused.of("not_found", "no Forge endpoint takes a body here; "
                    + "MCP is at /mcp and the REST API under /v1", 404).json());
        } else {
            rc.next();
        }
    }

    private static void forbidFraming(RoutingContext rc) {
        var headers = rc.response().headers();
        headers.set("X-Frame-Options", "DENY");
        String policy = headers.get("Content-Security-Policy");
        if (policy == null) headers.set("Content-Security-Policy", "frame-ancestors 'none'");
        else if (!policy.contains("frame-ancestors")) headers.set("Content-Security-Policy", policy + "; frame-ancestors 'none'");
    }

    /** The Host header names this node: loopback with the port it was reached on, or a configured name. */
    boolean hostAllowed(HttpServerRequest request) {
        String host = request.getHeader("Host");
        if (host == null) return false;
        host = host.toLowerCase(Locale.ROOT);
        String port = ":" + request.localAddress().port();
        for (String name : List.of("127.0.0.1", "localhost", "[::1]")) if (host.equals(name + port)) return true;
        for (String name : allowedHosts.orElse(List.of())) {
            String allowed = name.strip().toLowerCase(Locale.ROOT);
            if (host.equals(allowed) || host.equals(allowed + port)) return true;
        }
        return false;
    }

    private boolean authorized(RoutingContext rc, String token, boolean mcp) {
        if (token != null && node().identities().actor(token).isPresent()) return true;
        rc.response().putHeader("WWW-Authenticate", Bearer.challenge(token));
        refuse(rc, 401, mcp ? Bearer.mcpBody(token) : Bearer.restBody(token));
        return false;
    }

    /** Bounds an MCP request's size and its body's arrival time. */
    private void admitMcp(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        boolean initialize = request.getHeader("Mcp-Session-Id") == null;
        long limit = initialize ? INITIALIZE_BODY : MCP_BODY;
        if (initialize && hasBody(request) && request.getHeader("Content-Length") == null) {
            // A chunked initialize would pass the 16 KB bound, which is checked on the declared length.
            refuse(rc, 411, mcpError(-32600, "an initialize must declare its Content-Length"));
            return;
        }
        if (declaredLength(request) > limit) {
            refuse(rc, 413, mcpError(-32600, "the request body is larger than " + limit + " bytes"));
            return;
        }
        if (hasBody(request)) {
            vertx.setTimer(bodyDeadline.toMillis(), id -> {
                if (!request.isEnded()) refuse(rc, 408, mcpError(-32600, "the request body did not arrive within "
                        + bodyDeadline.toSeconds() + " s"));
            });
        }
        rc.next();
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length != null) return !length.strip().equals("0");
        String encoding = request.getHeader("Transfer-Encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static long declaredLength(HttpServerRequest request) {
        try {
            String length = request.getHeader("Content-Length");
            return length == null ? 0 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    static String mcpError(int code, String message) {
        try {
            return RPC.writeValueAsString(new RpcError("2.0", null, new RpcError.Error(code, message)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A JSON-RPC error answering a request that was never parsed, so its id is null (and written as such). */
    record RpcError(String jsonrpc, @JsonInclude(JsonInclude.Include.ALWAYS) Object id, Error error) {
        record Error(int code, String message) {
        }
    }

    /** Answers and closes the connection: the rest of a refused body is never read. */
    private static void refuse(RoutingContext rc, int status, String json) {
        var response = rc.response();
        if (response.ended() || response.headWritten()) {
            rc.request().connection().close();
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close");
        response.end(json).onComplete(done -> rc.request().connection().close());
    }

    private ForgeNode node() {
        ForgeNode known = node;
        if (known == null) node = known = nodes.get();
        return known;
    }
}
