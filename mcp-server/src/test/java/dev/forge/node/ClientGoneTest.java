package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.ledger.SettledWork;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up mid-chat stops the model at the next token, and pays for the tokens
 * made so far (so leaving early does not make what was streamed free). Plain and streamed.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class ClientGoneTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHAT = "{\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
            + "\"max_tokens\":400,\"stream\":%s}";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aChatWhoseClientHangsUpStopsAndPaysForWhatWasMade() throws Exception {
        String token = node.createAgent("leaver");
        int full = fullLength(token);
        assertTrue(full >= 200, "the model writes a long answer to this prompt: " + full);
        for (String stream : new String[] {"false", "true"}) {
            long logged = node.ledger().logSize();
            hangUpOnceTheModelRuns(token, CHAT.formatted(stream));
            SettledWork chat = awaitChat("leaver", logged);
            int made = chat.attestation().attestation().completionTokens();
            assertTrue(made < full, "stream=" + stream + ": stopped at " + made + " of " + full + " tokens");
            assertTrue(chat.paid() > 0, "the tokens made are paid for");
        }
    }

    @Test
    void anMcpChatWhoseClientHangsUpStopsAndPaysForWhatWasMade() throws Exception {
        String token = node.createAgent("mcpleaver");
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var init = http.send(mcpPost(token, null, McpProtocolTest.INIT), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(mcpPost(token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.ofString());
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"chat\",\"arguments\":"
                + "{\"model\":\"stories260K\",\"prompt\":\"Once upon a time\",\"max_tokens\":400}}}";
        JsonNode answered = McpProtocolTest.answer(http.send(mcpPost(token, session, call), HttpResponse.BodyHandlers.ofString()));
        int full = answered.path("result").path("structuredContent").path("completion_tokens").asInt();
        assertTrue(full >= 200, "the model writes a long answer to this prompt: " + answered);
        long logged = node.ledger().logSize();
        hangUpOnceHeld("mcpleaver", "/mcp", token, "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + session
                + "\r\n", call);
        int made = awaitChat("mcpleaver", logged).attestation().attestation().completionTokens();
        assertTrue(made < full, "stopped at " + made + " of " + full + " tokens");
    }

    private HttpRequest mcpPost(String token, String session, String body) {
        var request = HttpRequest.newBuilder(base.resolve("/mcp")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (session != null) request.header("Mcp-Session-Id", session);
        return request.build();
    }

    /** Sends a request on a raw socket and closes it once the agent's chat cost is held, i.e. the model runs. */
    private void hangUpOnceHeld(String agent, String path, String token, String headers, String body) throws Exception {
        try (var socket = send(path, token, headers, body)) {
            for (int i = 0; i < 600 && node.ledger().account(agent).orElseThrow().debitsPending() == 0; i++) {
                Thread.sleep(5);
            }
        }
    }

    private Socket send(String path, String token, String headers, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var socket = new Socket(base.getHost(), base.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private int fullLength(String token) throws Exception {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var response = http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted("false"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        return answer.path("usage").path("completion_tokens").asInt();
    }

    /** The OpenAI API: plain chats hang up once the cost is held, streamed ones once the first text arrives. */
    private void hangUpOnceTheModelRuns(String token, String body) throws Exception {
        if (!body.contains("\"stream\":true")) {
            hangUpOnceHeld("leaver", "/v1/chat/completions", token, "", body);
            return;
        }
        try (var socket = send("/v1/chat/completions", token, "", body)) {
            awaitFirstText(socket.getInputStream());
        }
    }

    /** A streamed chat: hang up once the first piece of text has arrived. */
    private static void awaitFirstText(java.io.InputStream in) throws java.io.IOException {
        var seen = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            seen.append((char) b);
            if (seen.indexOf("\"content\":\"") >= 0 && seen.lastIndexOf("\"content\":\"\"") < seen.lastIndexOf("\"content\":\"")) {
                return;
            }
        }
        throw new AssertionError("the stream ended before any text: " + seen);
    }

    /** The agent's next chat settled after the log's first {@code logged} entries (another test's may settle too). */
    private SettledWork awaitChat(String agent, long logged) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            for (long id = logged + 1; id <= node.ledger().logSize(); id++) {
                var work = node.ledger().settledWork(id);
                if (work.isPresent() && work.get().order().order().buyer().equals(agent)) return work.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no chat of " + agent + " was settled");
    }
}
