package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Replay;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI models talk to the node; x_forge matches the ledger. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class OpenAiApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "stories260K";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/v1")
    URI v1;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> post(String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(v1 + "/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOpenAiClientGetsACompletionAndAStream() throws Exception {
        String token = node.createAgent("olga");
        var model = OpenAiChatModel.builder().baseUrl(v1.toString()).apiKey(token).modelName(MODEL).maxTokens(20)
                .temperature(0.0).build();
        ChatResponse answer = model.chat(UserMessage.from("Once upon a time"));
        assertTrue(answer.aiMessage().text().startsWith(", there was a little girl named Lily."), answer.aiMessage().text());
        assertEquals(20, answer.tokenUsage().outputTokenCount());

        var streaming = OpenAiStreamingChatModel.builder().baseUrl(v1.toString()).apiKey(token).modelName(MODEL)
                .maxTokens(20).temperature(0.0).build();
        StringBuilder pieces = new StringBuilder();
        var done = new CompletableFuture<ChatResponse>();
        streaming.chat("Once upon a time", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse streamed = done.get(60, TimeUnit.SECONDS);
        assertEquals(answer.aiMessage().text(), pieces.toString(), "the stream adds up to the same text");
        assertEquals(20, streamed.tokenUsage().outputTokenCount(), "the final chunk carries the usage");
    }

    @Test
    void xForgeMatchesTheLedgerInBothModes() throws Exception {
        String token = node.createAgent("omar");
        String body = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":12";
        JsonNode plain = JSON.readTree(post(token, body + "}").body());
        checkAgainstLedger(plain.get("x_forge"), plain.get("usage"), "omar");

        String stream = post(token, body + ",\"stream\":true}").body();
        JsonNode last = null;
        for (String line : stream.split("\n")) {
            if (line.startsWith("data: {")) last = JSON.readTree(line.substring(6));
        }
        assertTrue(stream.strip().endsWith("data: [DONE]"), stream);
        checkAgainstLedger(last.get("x_forge"), last.get("usage"), "omar");
    }

    void checkAgainstLedger(JsonNode forge, JsonNode usage, String agent) {
        var work = node.ledger().settledWork(forge.get("trade_id").asLong()).orElseThrow();
        var attestation = work.attestation().attestation();
        assertEquals(agent, work.order().order().buyer());
        assertEquals(Cu.format(work.paid()), forge.get("cost_cu").asText());
        assertEquals(usage.get("completion_tokens").asInt(), attestation.completionTokens());
        assertEquals(usage.get("prompt_tokens").asInt(), attestation.promptTokens());
        assertEquals(Cu.format(work.buyerBalance()), forge.get("balance_cu").asText(), "the settle's own balance");
        // The order's input is the canonical chat request, whose digest anyone can recompute (docs/ledger.md).
        var request = ChatRequest.chat(MODEL, List.of(new ChatRequest.Message(ChatRequest.Role.USER, "Once upon a time")),
                new Replay(12, 0, 0, List.of()));
        assertArrayEquals(request.digest(), work.order().order().inputDigest());
        assertArrayEquals(request.digest(), attestation.inputDigest());
    }

    @Test
    void refusalsAreFourHundredsWithTheCodeAndNothingChanges() throws Exception {
        String token = node.createAgent("otto");
        long transfers = node.ledger().transferCount();
        HttpResponse<String> noToken = post(null, "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(401, noToken.statusCode());
        HttpResponse<String> unknown = post(token, "{\"model\":\"gpt-17\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(404, unknown.statusCode());
        assertEquals("unknown_model", Refusals.code(JSON.readTree(unknown.body())));
        HttpResponse<String> huge = post(token, "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"max_tokens\":1000000}");
        assertEquals(400, huge.statusCode());
        assertEquals("invalid_argument", Refusals.code(JSON.readTree(huge.body())));
        HttpResponse<String> empty = post(token, "{\"model\":\"" + MODEL + "\",\"messages\":[]}");
        assertEquals(400, empty.statusCode());
        assertEquals(transfers, node.ledger().transferCount());

        var models = http.send(HttpRequest.newBuilder(URI.create(v1 + "/models")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(MODEL, JSON.readTree(models.body()).get("data").get(0).get("id").asText());
    }
}
