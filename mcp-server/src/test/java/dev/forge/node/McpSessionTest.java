package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MCP sessions against a real node: bound to the token that opened them, bounded in number and in size. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class McpSessionTest {
    static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/mcp")
    URI mcp;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> send(String method, String body, String token, String session) throws Exception {
        var request = HttpRequest.newBuilder(mcp).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token);
        if (session != null) request.header("Mcp-Session-Id", session);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String open(String token) throws Exception {
        return open(token, McpProtocolTest.INIT);
    }

    String open(String token, String initialize) throws Exception {
        HttpResponse<String> init = send("POST", initialize, token, null);
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        send("POST", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", token, session);
        return session;
    }

    static void assertRefused(HttpResponse<String> response) throws Exception {
        assertEquals(404, response.statusCode(), response.body());
        JsonNode error = McpProtocolTest.JSON.readTree(response.body());
        assertTrue(error.path("error").path("message").asText().contains("no such session"), response.body());
        assertTrue(response.body().length() < 400, "a short JSON-RPC error: " + response.body());
    }

    @Test
    void aSessionAnswersOnlyTheTokenThatOpenedIt() throws Exception {
        String alice = node.createAgent("alice" + System.nanoTime() % 1_000_000);
        String mallory = node.createAgent("mallory" + System.nanoTime() % 1_000_000);
        String session = open(alice);
        assertRefused(send("POST", LIST, mallory, session));
        assertRefused(send("GET", null, mallory, session));
        assertRefused(send("DELETE", null, mallory, session));
        JsonNode tools = McpProtocolTest.answer(send("POST", LIST, alice, session));
        assertTrue(tools.path("result").path("tools").size() > 0, "the owner's session survived: " + tools);
        assertEquals(200, send("DELETE", null, alice, session).statusCode());
        assertRefused(send("POST", LIST, alice, session));
    }

    @Test
    void aTokenKeepsItsSixteenNewestSessions() throws Exception {
        String token = node.createAgent("restless" + System.nanoTime() % 1_000_000);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) sessions.add(open(token));
        for (String oldest : sessions.subList(0, 4)) assertRefused(send("POST", LIST, token, oldest));
        for (String kept : sessions.subList(4, 20)) {
            JsonNode tools = McpProtocolTest.answer(send("POST", LIST, token, kept));
            assertTrue(tools.path("result").path("tools").size() > 0, tools.toString());
        }
    }

    @Test
    void clientMetadataIsBounded() throws Exception {
        String token = node.createAgent("boastful" + System.nanoTime() % 1_000_000);
        // 248 initializes of 4 MB used to fill a 1 GB heap; this one is refused on its declared length.
        try (var socket = new java.net.Socket(mcp.getHost(), mcp.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: localhost:" + mcp.getPort() + "\r\nAuthorization: "
                    + "Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: " + 4 * 1024 * 1024
                    + "\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"clientInfo\":{\"name\":\"xxxx")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", answer);
        }
        String session = open(token, McpProtocolTest.INIT.replace("\"raw\"", "\"" + "n".repeat(8_000) + "\""));
        assertTrue(McpProtocolTest.answer(send("POST", LIST, token, session)).has("result"), "8 KB of metadata is fine");
    }

    @Test
    void aLongChatPromptStillFitsAnMcpMessage() throws Exception {
        String token = node.createAgent("novelist" + System.nanoTime() % 1_000_000);
        String session = open(token);
        // 200,000 characters, the MCP prompt bound, each escaped to six bytes: 1.2 MB.
        String prompt = "\\u00e9".repeat(200_000);
        JsonNode answer = McpProtocolTest.answer(send("POST", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"chat\",\"arguments\":{\"model\":\"stories260K\",\"prompt\":\"" + prompt + "\"}}}",
                token, session));
        String text = answer.path("result").path("content").get(0).path("text").asText();
        assertEquals("prompt_too_long", McpProtocolTest.JSON.readTree(text).path("error").asText(),
                "the body was read and reached the model's own check: " + answer);
    }
}
