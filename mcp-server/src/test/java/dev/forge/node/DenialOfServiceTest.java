package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attacks on a real node's HTTP door: hundreds of connections that send headers and then
 * stall their bodies, and prompts far too long for the model. The node keeps answering.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class DenialOfServiceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a node that answers at all answers in milliseconds. */
    static final Duration IN_TIME = Duration.ofSeconds(5);

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI root;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(IN_TIME).build();

    /** Opens a connection that sends a request's headers and a few bytes of a body it never finishes. */
    Socket stall(String path, String token, int declaredLength) throws IOException {
        var socket = new Socket(root.getHost(), root.getPort());
        socket.setSoTimeout((int) IN_TIME.toMillis());
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost:" + root.getPort() + "\r\n"
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Length: " + declaredLength + "\r\n\r\n{\"jsonrpc\":";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The status line's code, or -1 if the node did not answer in time. */
    static int status(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) line.append((char) c);
            String[] parts = line.toString().split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(root.resolve(path)).timeout(IN_TIME).GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String session, String body) throws Exception {
        var request = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token);
        if (session != null) request.header("Mcp-Session-Id", session);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An MCP session for {@code token}, opened over raw HTTP. */
    String session(String token) throws Exception {
        var init = post("mcp", token, null, McpProtocolTest.INIT);
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post("mcp", token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return session;
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    @Test
    void slowBodiesDoNotFreezeTheNode() throws Exception {
        String attacker = node.createAgent("patient" + System.nanoTime() % 1_000_000);
        String token = node.createAgent("honest" + System.nanoTime() % 1_000_000);
        String session = session(token);
        List<Socket> anonymous = new ArrayList<>();
        List<Socket> unknown = new ArrayList<>();
        List<Socket> signed = new ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) anonymous.add(stall("/mcp", null, 100_000));
            for (int i = 0; i < 150; i++) unknown.add(stall("/nowhere/" + i, null, 1_000));
            for (int i = 0; i < 50; i++) signed.add(stall("/mcp", attacker, 1_000));

            long started = System.nanoTime();
            HttpResponse<String> health = get("health", null);
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> models = get("v1/models", token);
            assertEquals(200, models.statusCode(), models.body());
            JsonNode tools = McpProtocolTest.answer(post("mcp", token, session,
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"));
            assertTrue(tools.path("result").path("tools").size() > 0, tools.toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(IN_TIME) < 0,
                    "health, REST and MCP answered while 350 slow bodies were open");

            assertEquals(List.of(401), statuses(anonymous), "refused on its headers: no token");
            assertEquals(List.of(404), statuses(unknown), "refused on its headers: no Forge path takes a body there");
            List<Integer> answers = new ArrayList<>();
            for (Socket s : signed) {
                s.setSoTimeout(300); // refusals are already there; the 16 admitted ones wait for their deadline
                answers.add(status(s));
            }
            assertEquals(50 - 16, answers.stream().filter(c -> c == 429).count(), "16 open MCP requests per token: " + answers);
        } finally {
            closeAll(anonymous);
            closeAll(unknown);
            closeAll(signed);
        }
    }

    /** The distinct status codes the sockets got. */
    static List<Integer> statuses(List<Socket> sockets) {
        return sockets.stream().map(DenialOfServiceTest::status).distinct().toList();
    }

    @Test
    void aBodyThatNeverEndsIsCutAtTheDeadline() throws Exception {
        String token = node.createAgent("stalled" + System.nanoTime() % 1_000_000);
        try (Socket socket = stall("/mcp", token, 1_000)) {
            socket.setSoTimeout(20_000);
            assertEquals(408, status(socket), "the body did not arrive within forge.http.body-deadline");
        }
    }

    @Test
    void aBodyTooLargeForItsPathIsRefusedBeforeItIsRead() throws Exception {
        try (Socket unknown = stall("/nowhere", null, 50_000_000)) {
            assertEquals(404, status(unknown), "no Forge path outside /mcp and /v1 takes a body");
        }
        String token = node.createAgent("bulky" + System.nanoTime() % 1_000_000);
        try (Socket initialize = stall("/mcp", token, 1_000_000)) {
            assertEquals(413, status(initialize), "an initialize is bounded to 16 KB");
        }
    }

    @Test
    void aChunkedBodyWithNoDeclaredLengthIsHeldToTheMcpBoundToo() throws Exception {
        String token = node.createAgent("chunky" + System.nanoTime() % 1_000_000);
        String session = session(token);
        try (var socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: localhost:" + root.getPort() + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nAuthorization: Bearer " + token + "\r\nMcp-Session-Id: "
                    + session + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MB, over the 2 MB bound
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException refusedMidway) {
                // the node answered and closed before the whole body was sent
            }
            assertEquals(413, status(socket));
        }
    }

    @Test
    void aPromptTooLongForTheModelIsRefusedAtOnceOverMcp() throws Exception {
        String token = node.createAgent("verbose" + System.nanoTime() % 1_000_000);
        String session = session(token);
        long transfers = node.ledger().transferCount();
        String prompt = "a".repeat(200_000);
        long started = System.nanoTime();
        JsonNode answer = McpProtocolTest.answer(post("mcp", token, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":"
                + "\"tools/call\",\"params\":{\"name\":\"chat\",\"arguments\":{\"model\":\"stories260K\",\"prompt\":\""
                + prompt + "\"}}}"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(IN_TIME) < 0, "refused before tokenizing");
        assertTrue(answer.path("result").path("isError").asBoolean(), answer.toString());
        String text = answer.path("result").path("content").get(0).path("text").asText();
        assertEquals("prompt_too_long", Refusals.code(JSON.readTree(text)), text);
        assertEquals(transfers, node.ledger().transferCount(), "nothing was held");
    }

    @Test
    void aPromptTooLongForTheModelIsRefusedAtOnceOverRest() throws Exception {
        String token = node.createAgent("wordy" + System.nanoTime() % 1_000_000);
        long transfers = node.ledger().transferCount();
        // Within the chat tool's bound on a message (200,000 characters): the model's context refuses it.
        String body = "{\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(200_000)
                + "\"}]}";
        long started = System.nanoTime();
        HttpResponse<String> refused = post("v1/chat/completions", token, null, body);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(IN_TIME) < 0, "refused before tokenizing");
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("prompt_too_long", Refusals.code(JSON.readTree(refused.body())), refused.body());
        // Beyond it: the same bound as over MCP, refused before anything reads the text.
        HttpResponse<String> tooLong = post("v1/chat/completions", token, null, body.replace("a".repeat(200_000), "a".repeat(1_000_000)));
        assertEquals(400, tooLong.statusCode(), tooLong.body());
        assertEquals("invalid_argument", Refusals.code(JSON.readTree(tooLong.body())), tooLong.body());
        assertTrue(tooLong.body().contains("messages[0].content is longer than 200000 characters"), tooLong.body());
        assertEquals(transfers, node.ledger().transferCount(), "nothing was held");
    }
}
