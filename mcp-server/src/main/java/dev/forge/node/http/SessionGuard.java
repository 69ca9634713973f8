package dev.forge.node.http;

import dev.forge.node.mcp.ForgeMcp;
import dev.forge.policies.Actor;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MCP sessions are bounded and bound to who opened them. The SDK keeps every session forever,
 * with whatever client metadata came with it, and serves a session id to any token. Here:
 *
 * <ul>
 *   <li>a session belongs to the actor whose token initialized it; any other token gets 404;
 *   <li>an actor has at most {@link #SESSIONS_PER_ACTOR}: a new one closes its least recently used;
 *   <li>the node has at most {@link #SESSIONS}; when full, an initialize gets 503;
 *   <li>a session unused for the idle time, with no stream open, is closed.
 * </ul>
 * The SDK's session map is reached by reflection (the SDK version is pinned) so that a closed
 * session is gone from the SDK too, not only refused here.
 */
public final class SessionGuard implements Filter {
    /** Sessions one actor keeps: one per client process, with room for restarts and several clients. */
    static final int SESSIONS_PER_ACTOR = 16;
    /** Sessions on the node: each keeps at most a 16 KB initialize, so all of them stay under 16 MB. */
    static final int SESSIONS = 1024;
    static final String SESSION_HEADER = "Mcp-Session-Id";

    private record Owned(String actor, long lastUsed) {
    }

    private final Map<String, Owned> owners = new ConcurrentHashMap<>();
    private final Map<String, McpStreamableServerSession> sdk;
    private final long idleMillis;

    public SessionGuard(HttpServletStreamableServerTransportProvider transport, Duration idle) {
        this.sdk = sdkSessions(transport);
        this.idleMillis = idle.toMillis();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        var http = (HttpServletRequest) request;
        Actor actor = (Actor) http.getAttribute(ForgeMcp.ACTOR);
        var out = new JsonErrors((HttpServletResponse) response) {
            // The session is registered as the SDK names it, before the answer reaches the client.
            @Override
            public void setHeader(String name, String value) {
                if (name.equalsIgnoreCase(SESSION_HEADER) && http.getHeader(SESSION_HEADER) == null) opened(value, actor);
                super.setHeader(name, value);
            }
        };
        String id = http.getHeader(SESSION_HEADER);
        if (id == null) {
            if (http.getMethod().equals("POST")) initialize(http, out, chain, actor);
            else chain.doFilter(http, out);
            return;
        }
        Owned owned = owners.get(id);
        if (owned == null || !owned.actor().equals(actor.id()) || expired(id, owned, System.currentTimeMillis())) {
            JsonErrors.write(out, 404, -32001, "no such session: it expired, was closed, or belongs to another token; "
                    + "initialize a new one");
            return;
        }
        owners.replace(id, owned, new Owned(owned.actor(), System.currentTimeMillis()));
        chain.doFilter(http, out);
        if (http.getMethod().equals("DELETE") && out.getStatus() < 300) owners.remove(id);
    }

    private void initialize(HttpServletRequest http, JsonErrors out, FilterChain chain, Actor actor)
            throws IOException, ServletException {
        closeIdle();
        if (owners.size() >= SESSIONS) {
            JsonErrors.write(out, 503, -32000, "the node has " + SESSIONS + " MCP sessions open; retry later");
            return;
        }
        chain.doFilter(http, out);
    }

    private void opened(String id, Actor actor) {
        owners.put(id, new Owned(actor.id(), System.currentTimeMillis()));
        keepNewest(actor.id());
    }

    /** Closes the actor's least recently used sessions beyond its bound. */
    private synchronized void keepNewest(String actor) {
        var mine = owners.entrySet().stream().filter(e -> e.getValue().actor().equals(actor))
                .sorted(Comparator.comparingLong((Map.Entry<String, Owned> e) -> e.getValue().lastUsed()).reversed())
                .toList();
        for (int i = SESSIONS_PER_ACTOR; i < mine.size(); i++) close(mine.get(i).getKey());
    }

    private void closeIdle() {
        long now = System.currentTimeMillis();
        owners.forEach((id, owned) -> expired(id, owned, now));
    }

    /** Whether a session has been idle too long with no stream open; if so, it is closed. */
    private boolean expired(String id, Owned owned, long now) {
        if (now - owned.lastUsed() < idleMillis) return false;
        McpStreamableServerSession session = sdk.get(id);
        if (session != null && session.hasOpenStream()) return false;
        close(id);
        return true;
    }

    private void close(String id) {
        owners.remove(id);
        McpStreamableServerSession session = sdk.remove(id);
        if (session != null) session.closeGracefully().subscribe(done -> { }, failed -> { });
    }

    /** How many sessions are open (for tests). */
    int open() {
        return owners.size();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, McpStreamableServerSession> sdkSessions(HttpServletStreamableServerTransportProvider transport) {
        try {
            var field = HttpServletStreamableServerTransportProvider.class.getDeclaredField("sessions");
            field.setAccessible(true);
            return (Map<String, McpStreamableServerSession>) field.get(transport);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the MCP SDK changed: its transport has no sessions map", e);
        }
    }
}
