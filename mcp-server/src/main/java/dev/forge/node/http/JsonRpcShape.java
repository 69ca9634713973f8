package dev.forge.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers a JSON-RPC message the MCP SDK cannot read with a short JSON-RPC error: a body that is
 * not JSON (-32700; the SDK would send its exception with the stack trace), a message that is
 * not an object (-32600), params that are not an object (-32602; the SDK would send nothing).
 * Anything else passes on unchanged. Registered by {@link McpEndpoint}, after the filters that
 * bound requests per token, since it reads the body.
 */
public class JsonRpcShape extends HttpFilter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The MCP message bound: {@link HttpGuard} checks a declared length; this one holds a chunked body to it too. */
    private static final int MAX_BODY = (int) HttpGuard.MCP_BODY;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        InputStream original = request.getInputStream();
        byte[] head = original.readNBytes(MAX_BODY + 1);
        if (head.length > MAX_BODY) {
            response.setHeader("Connection", "close"); // the rest of the body is not read
            JsonErrors.write(response, 413, -32600, "an MCP message is at most " + MAX_BODY / (1024 * 1024) + " MB");
            return;
        }
        ObjectNode error = error(head);
        if (error == null) {
            chain.doFilter(new Replayed(request, new SequenceInputStream(new ByteArrayInputStream(head), original)), response);
            return;
        }
        response.setStatus(400);
        response.setContentType("application/json");
        response.getOutputStream().write(JSON.writeValueAsBytes(error));
    }

    /** The JSON-RPC error for a message of the wrong shape, or null if it is fine or not JSON at all. */
    private static ObjectNode error(byte[] body) {
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (IOException notJson) {
            return error(JSON.nullNode(), -32700, "the message is not valid JSON");
        }
        if (message == null || message.isMissingNode()) return null;
        int code;
        String problem;
        if (!message.isObject()) {
            code = -32600;
            problem = "a message must be a JSON object";
        } else if (message.hasNonNull("params") && !message.get("params").isObject()) {
            code = -32602;
            problem = "params must be a JSON object";
        } else {
            return null;
        }
        JsonNode id = message.path("id");
        return error(id.isTextual() || id.isIntegralNumber() ? id : JSON.nullNode(), code, problem);
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode error = JSON.createObjectNode().put("jsonrpc", "2.0");
        error.set("id", id);
        error.putObject("error").put("code", code).put("message", message);
        return error;
    }

    /** The request with its body, already read here, readable again by the SDK. */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final InputStream in;

        Replayed(HttpServletRequest request, InputStream body) {
            super(request);
            this.in = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8.name() : getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(), java.nio.charset.Charset.forName(charset)));
        }
    }
}
