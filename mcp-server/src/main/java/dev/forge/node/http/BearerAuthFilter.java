package dev.forge.node.http;

import dev.forge.node.Identities;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.policies.Actor;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Every request to {@code /mcp} carries {@code Authorization: Bearer TOKEN}; the token decides
 * who acts. A missing or unknown token is answered 401 before MCP sees the request.
 */
public final class BearerAuthFilter implements Filter {
    private final Identities identities;

    public BearerAuthFilter(Identities identities) {
        this.identities = identities;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        var http = (HttpServletRequest) request;
        String header = http.getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7) : null;
        Optional<Actor> actor = identities.actor(token);
        if (actor.isEmpty()) {
            var out = (HttpServletResponse) response;
            out.setStatus(401);
            out.setHeader("WWW-Authenticate", "Bearer");
            out.setContentType("application/json");
            out.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"unauthorized: "
                    + (token == null ? "send Authorization: Bearer TOKEN" : "this token is not valid on this node") + "\"}}");
            return;
        }
        http.setAttribute(ForgeMcp.ACTOR, actor.get());
        chain.doFilter(request, response);
    }
}
