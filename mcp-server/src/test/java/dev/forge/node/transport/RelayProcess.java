package dev.forge.node.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code ./forge mcp} process spoken to line by line, with no SDK in between: what the relay
 * writes on stdout, and in which order, is exactly what a test reads.
 */
final class RelayProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();

    private RelayProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread.ofVirtual().start(this::readStdout);
    }

    static RelayProcess start(URI node, String token) throws IOException {
        var builder = new ProcessBuilder(Transport.SCRIPT.toString(), "mcp", "--node", node.toString(),
                "--token-file", Transport.tokenFile(token).toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove("FORGE_TOKEN");
        return new RelayProcess(builder.start());
    }

    /** Initializes a session as a client with these capabilities (JSON), and says it is initialized. */
    JsonNode initialize(String capabilities) throws Exception {
        send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":" + capabilities + ",\"clientInfo\":{\"name\":\"wire\",\"version\":\"1\"}}}");
        JsonNode answer = until(0).getLast();
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return answer;
    }

    void send(String message) throws IOException {
        stdin.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Every message the relay wrote up to and including the answer to request {@code id}. */
    List<JsonNode> until(long id) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        while (true) {
            String line = stdout.poll(3, TimeUnit.MINUTES);
            if (line == null) throw new AssertionError("no answer to request " + id + " after " + messages);
            JsonNode message = JSON.readTree(line);
            messages.add(message);
            if (message.path("id").asLong(-1) == id && !message.has("method")) return messages;
        }
    }

    private void readStdout() {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) stdout.add(line);
        } catch (IOException closed) {
            // The process ended; until() says what it missed.
        }
    }

    @Override
    public void close() throws Exception {
        stdin.close(); // the relay exits when its stdin closes
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
