package dev.forge.node.http;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Turns the MCP SDK's bare {@code sendError} calls into a short JSON-RPC error, so no answer
 * from {@code /mcp} is the container's error page (which can carry a stack trace).
 */
class JsonErrors extends HttpServletResponseWrapper {
    JsonErrors(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void sendError(int status) throws IOException {
        sendError(status, null);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        write(this, status, status == 404 ? -32001 : status >= 500 ? -32603 : -32600,
                message != null ? message : status == 404 ? "no such session; initialize a new one" : "HTTP " + status);
    }

    static void write(HttpServletResponse response, int status, int code, String message) throws IOException {
        if (response.isCommitted()) return;
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(HttpGuard.mcpError(code, message));
        response.getWriter().flush();
    }
}
