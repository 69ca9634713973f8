package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What every answer of a real node looks like at the door: errors are short JSON, never a stack
 * trace; a refused token says why (RFC 6750); only the node's own Host is served; nothing frames it.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class HttpDoorTest {
    static final Pattern STACK_TRACE = Pattern.compile("\\sat [a-z][\\w.$]+\\(|Exception\\b|\\.java:\\d+");

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI root;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(root.resolve(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> mcpHeaders(String token) {
        return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream");
    }

    /** A short JSON error with a client status, and no trace of the code that produced it. */
    static void assertShortError(HttpResponse<String> response, String probe) {
        String body = response.body();
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, probe + ": " + response.statusCode() + " " + body);
        assertTrue(body.length() < 600, probe + ": a short answer, not " + body.length() + " characters: " + body);
        assertFalse(STACK_TRACE.matcher(body).find(), probe + " carries a stack trace: " + body);
        assertTrue(body.isEmpty() || body.strip().startsWith("{"), probe + ": JSON, not " + body);
    }

    @Test
    void mcpProtocolErrorsAreShortJson() throws Exception {
        String token = node.createAgent("prober" + System.nanoTime() % 1_000_000);
        var headers = mcpHeaders(token);
        String session = send("POST", "mcp", McpProtocolTest.INIT, headers).headers().firstValue("Mcp-Session-Id").orElseThrow();
        var withSession = new java.util.HashMap<>(headers);
        withSession.put("Mcp-Session-Id", session);
        assertShortError(send("GET", "mcp", null, Map.of("Authorization", "Bearer " + token, "Accept", "text/event-stream")),
                "the Python SDK's first probe: GET /mcp without a session");
        assertShortError(send("POST", "mcp", McpProtocolTest.INIT, Map.of("Authorization", "Bearer " + token,
                "Content-Type", "application/json")), "an initialize without Accept headers");
        assertShortError(send("POST", "mcp", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":", withSession), "malformed JSON");
        assertShortError(send("POST", "mcp", "not json at all", headers), "malformed JSON without a session");
        var unknown = new java.util.HashMap<>(headers);
        unknown.put("Mcp-Session-Id", "no-such-session");
        assertShortError(send("POST", "mcp", McpSessionTest.LIST, unknown), "an unknown session id");
        assertShortError(send("POST", "mcp", McpSessionTest.LIST, headers), "a request without a session id");
        assertShortError(send("DELETE", "mcp", null, headers), "a DELETE without a session id");
        assertShortError(send("PUT", "mcp", "{}", withSession), "a method MCP does not use");
    }

    @Test
    void restAndOtherErrorsAreShortJson() throws Exception {
        String token = node.createAgent("rester" + System.nanoTime() % 1_000_000);
        var headers = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertShortError(send("POST", "v1/chat/completions", "{\"model\":", headers), "malformed REST JSON");
        assertShortError(send("POST", "v1/chat/completions", "[1,2]", headers), "a REST body of the wrong shape");
        assertShortError(send("POST", "v1/forge/nonsense", "{}", headers), "an unknown REST call");
        assertShortError(send("POST", "nowhere", "{}", Map.of()), "a body to an unknown path");
        HttpResponse<String> missing = send("GET", "nowhere", null, Map.of());
        assertEquals(404, missing.statusCode());
        assertFalse(STACK_TRACE.matcher(missing.body()).find(), missing.body());
    }

    @Test
    void aRefusedTokenSaysWhyOnBothSurfaces() throws Exception {
        for (String path : new String[] {"mcp", "v1/models"}) {
            HttpResponse<String> none = send("GET", path, null, Map.of());
            assertEquals(401, none.statusCode(), path);
            assertEquals("Bearer realm=\"forge\"", none.headers().firstValue("WWW-Authenticate").orElse(""), path);
            assertTrue(none.body().contains("Authorization: Bearer"), path + ": " + none.body());
            HttpResponse<String> wrong = send("GET", path, null, Map.of("Authorization", "Bearer forge_ag_wrong"));
            assertEquals(401, wrong.statusCode(), path);
            String challenge = wrong.headers().firstValue("WWW-Authenticate").orElse("");
            assertTrue(challenge.startsWith("Bearer realm=\"forge\", error=\"invalid_token\""), path + ": " + challenge);
            assertTrue(wrong.body().contains("not valid on this node"), path + ": " + wrong.body());
            assertShortError(wrong, path + " with a wrong token");
        }
    }

    /** The status a raw request with this Host header gets. */
    String statusFor(String host, String path) throws IOException {
        try (var socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String line = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return line.substring(9);
        }
    }

    @Test
    void onlyTheNodesOwnHostIsServed() throws Exception {
        int port = root.getPort();
        for (String path : new String[] {"/health", "/metrics", "/", "/mcp", "/v1/models"}) {
            assertEquals("421", statusFor("evil.example:" + port, path), "DNS rebinding on " + path);
            assertEquals("421", statusFor("127.0.0.1:" + (port + 1), path), "another port on " + path);
        }
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST:" + port}) {
            assertEquals("200", statusFor(host, "/health"), host);
        }
    }

    @Test
    void noAnswerCanBeFramed() throws Exception {
        String token = node.createAgent("framed" + System.nanoTime() % 1_000_000);
        for (var answer : new HttpResponse<?>[] {send("GET", "health", null, Map.of()), send("GET", "", null, Map.of()),
                send("GET", "metrics", null, Map.of()), send("GET", "mcp", null, Map.of()),
                send("POST", "mcp", McpProtocolTest.INIT, mcpHeaders(token)),
                send("GET", "v1/models", null, Map.of("Authorization", "Bearer " + token)),
                send("GET", "nowhere", null, Map.of())}) {
            String where = answer.request().uri().getPath() + " (" + answer.statusCode() + ")";
            assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(""), where);
            assertTrue(answer.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), where);
        }
    }
}
