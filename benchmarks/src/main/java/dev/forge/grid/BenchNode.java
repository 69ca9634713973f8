package dev.forge.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packaged node ({@code quarkus-run.jar}) as its own process on a grid, as {@code ./forge node
 * --grid} runs it, and the few calls of its HTTP API the benchmarks make. Every wait is bounded.
 */
final class BenchNode implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration START_BOUND = Duration.ofSeconds(400);
    static final Duration CALL_BOUND = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    final Path data;
    private final Path stderr;
    private final Process process;
    private URI address;

    private BenchNode(Path data, Path stderr, Process process) {
        this.data = data;
        this.stderr = stderr;
        this.process = process;
    }

    /**
     * Starts a node serving {@code models} (folders, comma-separated) on a free port, joined to
     * {@code grid} (one replica). Not port 0: a node on port 0 sometimes writes port 0 into its
     * node.address (its startup report reads the port before Quarkus has set it).
     */
    static BenchNode start(Path jar, Path data, String models, String grid) throws IOException {
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("no node jar at " + jar.toAbsolutePath()
                + ": build it with ./mvnw -q -B -o -pl mcp-server -am package -DskipTests -DskipITs");
        Files.createDirectories(data);
        Path stderr = data.resolveSibling(data.getFileName() + ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx768m", "-Dforge.data=" + data, "-Dquarkus.http.port=" + freePort(), "-Dforge.models=" + models,
                "-Dforge.grid=" + grid, "-Dforge.grid.replicas=1", "-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new BenchNode(data, stderr, process);
    }

    /** Waits for the address the node writes once it listens, then until it says it joined the grid; its grid id. */
    String awaitJoined() throws Exception {
        Path file = data.resolve("node.address");
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (address == null) {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            if (!text.isEmpty()) address = URI.create(text);
            else pause(deadline, "its address");
        }
        while (true) {
            JsonNode grid = get("/v1/forge/network", operatorToken()).path("grid");
            if (grid.path("connected").asBoolean()) return grid.path("node_id").asText();
            pause(deadline, "joining the grid");
        }
    }

    private void pause(long deadline, String what) throws Exception {
        if (!process.isAlive()) throw new IllegalStateException("the node " + data + " died:\n" + stderrTail());
        if (System.nanoTime() > deadline) throw new IllegalStateException("the node " + data + ": no " + what + " within " + START_BOUND);
        Thread.sleep(250);
    }

    String operatorToken() throws IOException {
        return Files.readString(data.resolve("operator_token")).strip();
    }

    /** A new agent account made by the operator; its token. */
    String createAgent(String id) throws Exception {
        return send(post("/v1/forge/accounts", operatorToken(), JSON.writeValueAsString(java.util.Map.of("id", id)))).path("token").asText();
    }

    JsonNode get(String path, String token) throws Exception {
        return send(request(path, token).GET().build());
    }

    HttpRequest post(String path, String token, String body) {
        return request(path, token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(address.resolve(path)).header("Authorization", "Bearer " + token).timeout(CALL_BOUND);
    }

    /** The JSON answer of a request; anything but 200 fails with its body. */
    static JsonNode send(HttpRequest request) throws Exception {
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The body of a request as a stream (server-sent events); anything but 200 fails with its body. */
    static InputStream stream(HttpRequest request) throws Exception {
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw new IllegalStateException(request.uri().getPath() + ": " + response.statusCode() + " " + new String(body.readAllBytes()));
            }
        }
        return response.body();
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String stderrTail() throws IOException {
        List<String> lines = Files.exists(stderr) ? Files.readAllLines(stderr) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** A copy of a model folder's files under {@code name} in {@code parent}: a node serves a folder under its name. */
    static String modelNamed(Path model, Path parent, String name) throws IOException {
        Path target = Files.createDirectories(parent.resolve(name));
        try (var files = Files.list(model)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) Files.copy(file, target.resolve(file.getFileName().toString()));
            }
        }
        return target.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: a clean stop
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
