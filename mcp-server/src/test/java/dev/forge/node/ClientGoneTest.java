package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.ledger.Trade;
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
            long trades = node.ledger().tradeCount();
            hangUpOnceTheModelRuns(token, CHAT.formatted(stream));
            Trade trade = awaitTrade(trades + 1);
            int made = trade.signed().delivery().completionTokens();
            assertTrue(made < full, "stream=" + stream + ": stopped at " + made + " of " + full + " tokens");
            assertTrue(trade.signed().delivery().amount() > 0, "the tokens made are paid for");
        }
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

    /** Sends the chat on a raw socket and closes it as soon as the chat's cost is held, i.e. the model runs. */
    private void hangUpOnceTheModelRuns(String token, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            if (body.contains("\"stream\":true")) {
                awaitFirstText(socket.getInputStream());
            } else {
                for (int i = 0; i < 600 && node.ledger().account("leaver").orElseThrow().debitsPending() == 0; i++) {
                    Thread.sleep(5);
                }
            }
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

    private Trade awaitTrade(long id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var trade = node.ledger().trade(id);
            if (trade.isPresent()) return trade.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no trade " + id + " was settled");
    }
}
