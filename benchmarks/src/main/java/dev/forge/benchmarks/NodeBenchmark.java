package dev.forge.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceEngine;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tool-call latency and chat throughput of a running node, measured as an MCP client sees them
 * (the MCP SDK's client over Streamable HTTP), and the same chats on Forge's engine in this
 * process for comparison. Not JMH: the thing measured is another process.
 *
 * <pre>
 * ./forge node --data /tmp/bench --port 3900 &amp;
 * java -jar benchmarks/target/benchmarks.jar ... (see docs/benchmarks.md for the command)
 * </pre>
 */
public final class NodeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        URI node = URI.create(args[0]);
        Path data = Path.of(args[1]);
        Path model = Path.of(args[2]);
        String operator = Files.readString(data.resolve("operator_token")).strip();
        String modelName = model.getFileName().toString();

        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 16; i++) tokens.add(createAgent(node, operator, "bench" + System.nanoTime() + i));
        List<McpSyncClient> clients = tokens.stream().map(token -> client(node, token)).toList();
        List<Runnable> mcp = clients.stream().<Runnable>map(c -> () -> balance(c)).toList();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Runnable> rest = tokens.stream().<Runnable>map(token -> () -> restBalance(http, node, token)).toList();
        List<Runnable> raw = new ArrayList<>();
        for (String token : tokens) raw.add(new RawMcp(http, node, token)::balance);
        report("balance over MCP, SDK client, 1 client", latencies(mcp.subList(0, 1), 3_000), 1);
        report("balance over MCP, raw JSON-RPC, 1 client", latencies(raw.subList(0, 1), 3_000), 1);
        report("GET /v1/forge/balance, 1 client", latencies(rest.subList(0, 1), 3_000), 1);
        report("balance over MCP, SDK client, 16 clients", latencies(mcp, 500), 16);
        report("balance over MCP, raw JSON-RPC, 16 clients", latencies(raw, 500), 16);
        report("GET /v1/forge/balance, 16 clients", latencies(rest, 500), 16);

        int length = 200;
        int chats = 20;
        for (int i = 0; i < 5; i++) chat(clients.get(2 + i % 2), modelName, length); // warm up
        long nodeTokens = 0;
        long start = System.nanoTime();
        for (int i = 0; i < chats; i++) nodeTokens += chat(clients.get(i % 2), modelName, length);
        double nodeRate = nodeTokens / ((System.nanoTime() - start) / 1e9);

        try (var engine = new InferenceEngine(Files.createTempDirectory("forge-bench-engine"), 1)) {
            engine.load(modelName, model);
            for (int i = 0; i < 5; i++) engine.generate(modelName, GenerationRequest.greedy("Once upon a time", length), t -> { }, () -> false);
            long engineTokens = 0;
            start = System.nanoTime();
            for (int i = 0; i < chats; i++) {
                engineTokens += engine.generate(modelName, GenerationRequest.greedy("Once upon a time", length), t -> { },
                        () -> false).completionTokens();
            }
            double engineRate = engineTokens / ((System.nanoTime() - start) / 1e9);
            System.out.printf("chat, %d × %d tokens: node over MCP %.0f tokens/s, engine in process %.0f tokens/s, ratio %.2f%n",
                    chats, length, nodeRate, engineRate, nodeRate / engineRate);
        }
        clients.forEach(McpSyncClient::closeGracefully);
    }

    private static long chat(McpSyncClient client, String model, int tokens) {
        var result = client.callTool(new McpSchema.CallToolRequest("chat",
                Map.of("model", model, "prompt", "Once upon a time", "max_tokens", tokens)));
        if (Boolean.TRUE.equals(result.isError())) throw new IllegalStateException("chat failed: " + result.content());
        return ((Number) ((Map<?, ?>) result.structuredContent()).get("completion_tokens")).longValue();
    }

    private static void report(String what, long[] sorted, int clients) {
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms (%d calls), %.0f calls/s%n", what, ms(sorted, 50), ms(sorted, 99),
                sorted.length, sorted.length / (sum(sorted) / clients / 1e9));
    }

    /** Each caller on its own thread, all at once, after 200 warm-up calls each; every latency, sorted. */
    private static long[] latencies(List<Runnable> callers, int callsEach) throws Exception {
        for (Runnable call : callers) for (int i = 0; i < 200; i++) call.run();
        ExecutorService threads = Executors.newFixedThreadPool(callers.size());
        List<Future<long[]>> futures = new ArrayList<>();
        for (Runnable call : callers) {
            futures.add(threads.submit(() -> {
                long[] times = new long[callsEach];
                for (int i = 0; i < callsEach; i++) {
                    long t = System.nanoTime();
                    call.run();
                    times[i] = System.nanoTime() - t;
                }
                return times;
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) all.add(f.get());
        threads.shutdown();
        return all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private static void balance(McpSyncClient client) {
        var result = client.callTool(new McpSchema.CallToolRequest("balance", Map.of()));
        if (Boolean.TRUE.equals(result.isError())) throw new IllegalStateException("balance failed: " + result.content());
    }

    private static void restBalance(HttpClient http, URI node, String token) {
        try {
            var response = http.send(HttpRequest.newBuilder(node.resolve("/v1/forge/balance"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new IllegalStateException("GET balance failed: " + response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("GET balance failed", e);
        }
    }

    /** An MCP session driven with plain HTTP: what the node costs, without the SDK client's own overhead. */
    private static final class RawMcp {
        private final HttpClient http;
        private final URI endpoint;
        private final String token;
        private final String session;
        private long id;

        RawMcp(HttpClient http, URI node, String token) {
            this.http = http;
            this.endpoint = node.resolve("/mcp");
            this.token = token;
            var initialize = post(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
            this.session = initialize.headers().firstValue("Mcp-Session-Id").orElseThrow();
            post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        void balance() {
            var response = post(session, "{\"jsonrpc\":\"2.0\",\"id\":" + (++id)
                    + ",\"method\":\"tools/call\",\"params\":{\"name\":\"balance\",\"arguments\":{}}}");
            if (!response.body().contains("balance_cu") || response.body().contains("\"isError\":true")) {
                throw new IllegalStateException("balance failed: " + response.body());
            }
        }

        private HttpResponse<String> post(String sessionId, String body) {
            var request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (sessionId != null) request.header("Mcp-Session-Id", sessionId);
            try {
                var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) throw new IllegalStateException("MCP " + response.statusCode() + ": " + response.body());
                return response;
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException("MCP call failed", e);
            }
        }
    }

    private static McpSyncClient client(URI node, String token) {
        var transport = HttpClientStreamableHttpTransport.builder(node.toString()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .customizeClient(c -> c.version(HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2)).build();
        client.initialize();
        return client;
    }

    private static String createAgent(URI node, String operator, String id) throws Exception {
        var response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(node.resolve("/v1/forge/accounts")).header("Authorization", "Bearer " + operator)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException("cannot create an agent: " + response.body());
        return JSON.readTree(response.body()).get("token").asText();
    }

    private static double ms(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static double sum(long[] values) {
        return Arrays.stream(values).sum();
    }
}
