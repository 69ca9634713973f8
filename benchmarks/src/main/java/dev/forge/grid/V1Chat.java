package dev.forge.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Greedy chats of one model through a node's OpenAI {@code /v1/chat/completions}, plain or
 * streamed, by a few agents of that node in turn (one agent would trip its velocity breaker, 60
 * spends a minute, in a long run). Every answer must be served by {@code servedBy} ({@code x_forge.served_by}, a
 * grid node id), or by the node itself when that is null, and must make the same text each time.
 */
final class V1Chat implements CrossNodeChat {
    private final String name;
    private final BenchNode node;
    private final List<String> agents;
    private int turn;
    private final String model;
    private final String servedBy;
    private final boolean streamed;
    private String text;

    V1Chat(String name, BenchNode node, List<String> agentTokens, String model, String servedBy, boolean streamed) {
        this.name = name;
        this.node = node;
        this.agents = List.copyOf(agentTokens);
        this.model = model;
        this.servedBy = servedBy;
        this.streamed = streamed;
    }

    @Override
    public String name() {
        return name;
    }

    /** The text every chat of this path made (the same each time: greedy). */
    String text() {
        return text;
    }

    @Override
    public Chat chat(String prompt, int tokens) {
        try {
            String body = BenchNode.JSON.writeValueAsString(Map.of("model", model, "stream", streamed, "max_tokens", tokens,
                    "temperature", 0, "messages", List.of(Map.of("role", "user", "content", prompt))));
            var request = node.post("/v1/chat/completions", agents.get(turn++ % agents.size()), body);
            return streamed ? streamed(request) : plain(request);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    private Chat plain(java.net.http.HttpRequest request) throws Exception {
        JsonNode answer = BenchNode.send(request);
        check(answer, answer.path("choices").path(0).path("message").path("content").asText());
        return new Chat(1, answer.path("usage").path("completion_tokens").asInt(), -1);
    }

    private Chat streamed(java.net.http.HttpRequest request) throws Exception {
        long start = System.nanoTime();
        long first = -1;
        int pieces = 0;
        StringBuilder made = new StringBuilder();
        JsonNode last = null;
        try (var lines = new BufferedReader(new InputStreamReader(BenchNode.stream(request), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) continue;
                JsonNode event = BenchNode.JSON.readTree(line.substring(6));
                if (event.has("error")) throw new IllegalStateException(name + ": refused in the stream: " + event);
                String piece = event.path("choices").path(0).path("delta").path("content").asText("");
                if (!piece.isEmpty()) {
                    if (first < 0) first = System.nanoTime() - start;
                    pieces++;
                    made.append(piece);
                }
                if (event.has("x_forge")) last = event;
            }
        }
        if (last == null) throw new IllegalStateException(name + ": the stream ended without its last chunk");
        check(last, made.toString());
        return new Chat(pieces, last.path("usage").path("completion_tokens").asInt(), first);
    }

    private void check(JsonNode answer, String made) {
        String by = answer.path("x_forge").path("served_by").asText(null);
        if (servedBy == null ? by != null : !servedBy.equals(by)) {
            throw new IllegalStateException(name + ": served by " + by + ", not " + (servedBy == null ? "the node itself" : servedBy) + ": " + answer);
        }
        if (text == null) text = made;
        else if (!text.equals(made)) throw new IllegalStateException(name + ": a greedy chat made other text: " + made);
    }
}
