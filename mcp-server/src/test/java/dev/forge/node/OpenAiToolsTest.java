package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.agent.Agent;
import dev.forge.agent.AgentSettings;
import dev.forge.agent.Earnings;
import dev.forge.agent.Guard;
import dev.forge.agent.Journal;
import dev.forge.agent.LlmPlanner;
import dev.forge.agent.Task;
import dev.forge.economy.market.ModelTier;
import dev.forge.inference.TinyLlama;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenAI tool calling on the node's /v1 with a model that emits real tool calls, raw and through
 * LangChain4j (OpenAiChatModel with the node's MCP tools), and the LLM planner on it.
 */
@QuarkusTest
@QuarkusTestResource(value = ToolCallerNode.class, restrictToAnnotatedClass = true)
class OpenAiToolsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = ToolCallerNode.MODEL;
    static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"balance\",\"description\":\"your balance\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]";
    static final String ASK = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"How much can I spend?\"}],"
            + TOOLS;

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> post(String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aToolCallAndItsResultRoundTrip() throws Exception {
        String token = node.createAgent("tilda");
        HttpResponse<String> asked = post(token, ASK + "}");
        assertEquals(200, asked.statusCode(), asked.body());
        JsonNode choice = JSON.readTree(asked.body()).get("choices").get(0);
        assertEquals("tool_calls", choice.get("finish_reason").asText(), asked.body());
        assertTrue(choice.get("message").get("content").isNull(), asked.body());
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertEquals("function", call.get("type").asText());
        assertEquals("balance", call.get("function").get("name").asText());
        assertEquals("{}", call.get("function").get("arguments").asText());
        long trade = JSON.readTree(asked.body()).get("x_forge").get("trade_id").asLong();
        assertEquals("tilda", node.ledger().settledWork(trade).orElseThrow().order().order().buyer(), "a tool call is paid like any answer");

        String answered = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"How much can I spend?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + call.get("id").asText() + "\",\"content\":\"{\\\"available_cu\\\":\\\"1000\\\"}\"}],"
                + TOOLS + "}";
        HttpResponse<String> result = post(token, answered);
        assertEquals(200, result.statusCode(), result.body());
        JsonNode after = JSON.readTree(result.body()).get("choices").get(0);
        assertEquals("stop", after.get("finish_reason").asText(), result.body());
        assertEquals(TinyLlama.TOOL_ANSWER, after.get("message").get("content").asText());
    }

    @Test
    void aStreamedToolCallComesInOpenAisDeltaShape() throws Exception {
        String token = node.createAgent("stella");
        String stream = post(token, ASK + ",\"stream\":true}").body();
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : stream.split("\n")) if (line.startsWith("data: {")) chunks.add(JSON.readTree(line.substring(6)));
        assertTrue(stream.strip().endsWith("data: [DONE]"), stream);
        JsonNode delta = chunks.stream().map(c -> c.get("choices").get(0).get("delta")).filter(d -> d.has("tool_calls"))
                .findFirst().orElseThrow(() -> new AssertionError(stream)).get("tool_calls").get(0);
        assertEquals(0, delta.get("index").asInt());
        assertTrue(delta.get("id").asText().startsWith("call_"), delta.toString());
        assertEquals("balance", delta.get("function").get("name").asText());
        assertEquals("{}", delta.get("function").get("arguments").asText());
        JsonNode last = chunks.getLast();
        assertEquals("tool_calls", last.get("choices").get(0).get("finish_reason").asText(), stream);
        assertTrue(chunks.stream().noneMatch(c -> c.get("choices").get(0).get("delta").path("content").asText("").contains("balance")),
                "the call is not also sent as text: " + stream);
        assertEquals("stella", node.ledger().settledWork(last.get("x_forge").get("trade_id").asLong()).orElseThrow().order().order().buyer());
    }

    @Test
    void whatTheEngineCannotHonourIsRefusedByName() throws Exception {
        String token = node.createAgent("rhea");
        long transfers = node.ledger().transferCount();
        Map<String, String> refused = Map.of(
                ",\"n\":2", "n must be 1",
                ",\"response_format\":{\"type\":\"json_object\"}", "response_format is not supported",
                ",\"tool_choice\":\"required\"", "tool_choice must be auto or none",
                ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"balance\"}}", "of a named function",
                ",\"logprobs\":true", "logprobs is not supported",
                ",\"frobnicate\":1", "unknown argument 'frobnicate'");
        for (var c : refused.entrySet()) {
            HttpResponse<String> response = post(token, ASK + c.getKey() + "}");
            assertEquals(400, response.statusCode(), c.getKey() + ": " + response.body());
            JsonNode body = JSON.readTree(response.body());
            JsonNode error = body.path("error"); // OpenAI's shape: {"error": {"message", "type", "param", "code"}}
            assertEquals("invalid_argument", error.path("code").asText(), response.body());
            assertEquals("invalid_request_error", error.path("type").asText(), response.body());
            assertTrue(error.has("param"), response.body());
            assertTrue(error.path("message").asText().contains(c.getValue()), c.getKey() + ": " + response.body());
        }
        HttpResponse<String> orphan = post(token, "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_x\",\"content\":\"1\"}]}");
        assertEquals(400, orphan.statusCode(), orphan.body());
        assertTrue(orphan.body().contains("names no earlier tool call"), orphan.body());
        assertEquals(transfers, node.ledger().transferCount(), "a refused request changes nothing");
    }

    /** What LangChain4j implements for the test: one question, with the node's tools. */
    interface Assistant {
        Result<String> ask(String question);
    }

    @Test
    void langChain4jCallsTheNodesMcpToolForTheModelOverV1() throws Exception {
        String token = node.createAgent("lena");
        var model = OpenAiChatModel.builder().baseUrl(base.resolve("/v1").toString()).apiKey(token).modelName(MODEL).build();
        var transport = StreamableHttpMcpTransport.builder().url(base.resolve("/mcp").toString()).setHttpVersion1_1()
                .customHeaders(Map.of("Authorization", "Bearer " + token)).build();
        try (var client = DefaultMcpClient.builder().transport(transport).build()) {
            var tools = McpToolProvider.builder().mcpClients(client).filterToolNames(LlmPlanner.READ_TOOLS).build();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).toolProvider(tools).build();
            long trades = node.ledger().logSize();
            Result<String> answer = assistant.ask("How much can I spend?");
            assertEquals(TinyLlama.TOOL_ANSWER, answer.content());
            assertEquals(1, answer.toolExecutions().size());
            assertEquals("balance", answer.toolExecutions().getFirst().request().name());
            assertTrue(answer.toolExecutions().getFirst().result().contains("available_cu"), answer.toolExecutions().toString());
            assertEquals(trades + 2, node.ledger().logSize(), "two paid completions: the call, then the answer");
        }
    }

    @Test
    void theLlmPlannerLooksThroughMcpAndEveryStepIsInTheJournal() throws Exception {
        String token = node.createAgent("liv");
        Path folder = Files.createTempDirectory("forge-llm-agent");
        // A loaded two-core machine reads the tools' schemas slowly: a timed-out answer would be a wait, not the skip.
        var model = OpenAiChatModel.builder().baseUrl(base.resolve("/v1").toString()).apiKey(token).modelName(MODEL)
                .timeout(java.time.Duration.ofMinutes(5)).maxRetries(0).build();
        var tasks = List.of(new Task("first", "Once upon a time", 20, ModelTier.TINY, 1_000_000),
                new Task("second", "Tell me a story", 20, ModelTier.TINY, 1_000_000));
        var status = new ByteArrayOutputStream();
        try (var planner = new LlmPlanner(model, base, token)) {
            var settings = new AgentSettings(base, token, folder, folder.resolve("agent.key"), Map.of(), tasks, planner,
                    new Guard.Limits(10_000_000, 8_000_000, 10_000_000, 5, 50), 120_000, 200, 100, 400, 3);
            try (Agent agent = Agent.open(settings, new PrintStream(status, true), InstantSource.system())) {
                var result = agent.run(Earnings.NONE);
                assertEquals(2, result.skipped(), result.toString());
            }
        }
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve(Journal.FILE))) steps.add(JSON.readTree(line));
        for (String task : List.of("first", "second")) {
            JsonNode step = steps.stream().filter(s -> s.get("task").asText().equals(task)).findFirst()
                    .orElseThrow(() -> new AssertionError(steps.toString()));
            assertEquals("skip", step.get("decided").asText(), step.toString());
            assertTrue(step.get("why").asText().contains("called balance") && step.get("why").asText().contains(TinyLlama.TOOL_ANSWER),
                    step.toString());
            assertTrue(step.get("saw").has("available_cu"), step.toString());
        }
        assertEquals("end", steps.getLast().get("decided").asText(), steps.toString());
    }
}
