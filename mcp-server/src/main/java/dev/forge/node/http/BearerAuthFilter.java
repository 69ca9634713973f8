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
 * who acts. A missing or unknown token is answered 401 (RFC 6750 challenge, JSON-RPC body) before MCP sees it.
 */
public final class BearerAuthFilter implements Filter {
    private final Identities identities;

    public BearerAuthFilter(Identities identities) {
        this.identities = identities;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        var http = (HttpServletRequest) request;
        String token = Bearer.token(http.getHeader("Authorization"));
        Optional<Actor> actor = identities.actor(token);
        if (actor.isEmpty()) {
            // HttpGuard refuses these on the headers already; this stays so the servlet is never reached without one.
            var out = (HttpServletResponse) response;
            out.setStatus(401);
            out.setHeader("WWW-Authenticate", Bearer.challenge(token));
            out.setContentType("application/json");
            out.getWriter().write(Bearer.mcpBody(token));
            return;
        }
        http.setAttribute(ForgeMcp.ACTOR, actor.get());
        chain.doFilter(request, response);
    }
}
