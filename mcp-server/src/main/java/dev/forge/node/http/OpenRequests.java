package dev.forge.node.http;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the MCP requests that hold a worker thread, per actor and in all. The servlet reads a
 * body and runs a tool on the worker thread that the request came in on; without a bound, one
 * token's slow bodies or long calls could take every worker, and REST and /health with them.
 */
public final class OpenRequests implements Filter {
    /** Per actor: a client's calls, pings and stream, with room for several clients. */
    static final int PER_ACTOR = 16;
    /** On the node: well below Quarkus' 200 worker threads, so REST and /health always find one. */
    static final int TOTAL = 128;

    private final Map<String, AtomicInteger> byActor = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Actor actor = (Actor) request.getAttribute(ForgeMcp.ACTOR);
        AtomicInteger mine = byActor.computeIfAbsent(actor.id(), id -> new AtomicInteger());
        int own = mine.incrementAndGet();
        int all = total.incrementAndGet();
        try {
            if (own > PER_ACTOR || all > TOTAL) {
                var out = (HttpServletResponse) response;
                out.setHeader("Connection", "close"); // the body is not read; the connection cannot be reused
                JsonErrors.write(out, own > PER_ACTOR ? 429 : 503, -32000, own > PER_ACTOR ? "this token has "
                        + PER_ACTOR + " MCP requests open already; wait for one to finish" : "the node is busy; retry shortly");
                return;
            }
            chain.doFilter(request, response);
        } finally {
            total.decrementAndGet();
            if (mine.decrementAndGet() == 0) byActor.remove(actor.id(), mine);
        }
    }
}
