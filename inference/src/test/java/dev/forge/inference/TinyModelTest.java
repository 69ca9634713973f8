package dev.forge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forge's engine on the two generated models, whose greedy answers are known exactly: plain
 * completion, chat with the model's template, tool calls, UTF-8 and metering.
 */
class TinyModelTest {
    /** Bounds that give the generated models (about 0.2 M and 1.2 M parameters) two different tiers. */
    static final Tier.Bounds TEST_TIERS = new Tier.Bounds(100_000, 500_000, 1_000_000);
    static final ToolSpec WEATHER = new ToolSpec(TinyLlama.TOOL_NAME, "The weather now in a city",
            Map.of("city", Map.of("type", "string", "description", "the city")), List.of("city"));
    static final String QUESTION = "What is the weather in Paris?";

    static Path root;
    static InferenceEngine engine;

    @BeforeAll
    static void build() throws Exception {
        root = Files.createTempDirectory("forge-tiny-models");
        engine = new InferenceEngine(root.resolve("work"), 4, TEST_TIERS, InferenceGuard.NONE);
        engine.load("small", TinyLlama.write(TinyLlama.SMALL, root.resolve("small")));
        engine.load("large", TinyLlama.write(TinyLlama.LARGE, root.resolve("large")));
        engine.load("bytes", TinyLlama.write(TinyLlama.SMALL, TinyLlama.Style.BYTE_LEVEL, root.resolve("bytes")));
        engine.load("caller", TinyLlama.writeToolCaller(TinyLlama.SMALL, TinyLlama.Style.BYTE_FALLBACK, "balance",
                root.resolve("caller")));
        engine.load("large-caller", TinyLlama.writeToolCaller(TinyLlama.LARGE, TinyLlama.Style.BYTE_FALLBACK, "balance",
                root.resolve("large-caller")));
        engine.load("bytes-caller", TinyLlama.writeToolCaller(TinyLlama.SMALL, TinyLlama.Style.BYTE_LEVEL, "balance",
                root.resolve("bytes-caller")));
    }

    @AfterAll
    static void close() {
        if (engine != null) engine.close();
    }

    static Completion run(String model, GenerationRequest request, List<String> pieces) {
        return engine.generate(model, request, pieces::add, () -> false);
    }

    static Prompt.Chat chat(List<ToolSpec> tools, ChatMessage... messages) {
        return new Prompt.Chat(List.of(messages), tools);
    }

    @Test
    void theTwoSizesHaveTwoTiers() {
        LocalModel small = engine.slot("small").model();
        LocalModel large = engine.slot("large").model();
        assertEquals(TinyLlama.parameters(TinyLlama.SMALL), small.folder().parameters());
        assertEquals(TinyLlama.parameters(TinyLlama.LARGE), large.folder().parameters());
        assertEquals(Tier.SMALL, small.tier());
        assertEquals(Tier.LARGE, large.tier());
        assertEquals(Tier.TINY, Tier.Bounds.DEFAULT.tierOf(large.folder().parameters()), "real bounds: both are toys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large", "bytes"})
    void plainCompletionIsExactAndStreamsWholeCharacters(String model) {
        List<String> pieces = new ArrayList<>();
        Completion story = run(model, GenerationRequest.greedy(TinyLlama.STORY_PROMPT, 100), pieces);
        assertEquals(TinyLlama.STORY, story.text());
        assertEquals(Completion.FinishReason.END, story.finishReason());
        assertEquals(TinyLlama.STORY_TOKENS, story.completionTokens(), "é is two byte tokens, the end token is free");
        assertEquals(engine.slot(model).model().encode(new Prompt.Text(TinyLlama.STORY_PROMPT)).length, story.promptTokens());
        assertEquals(story.text(), String.join("", pieces));
        assertTrue(pieces.contains("é"), "the two bytes of é are streamed as one character: " + pieces);
        assertTrue(pieces.stream().noneMatch(p -> p.contains("\uFFFD")));
    }

    @Test
    void aPromptTheModelDoesNotKnowGetsItsDefaultAnswer() {
        Completion answer = run("small", GenerationRequest.greedy("Why?", 50), new ArrayList<>());
        assertEquals(TinyLlama.UNKNOWN_ANSWER, answer.text());
    }

    @Test
    void aChatIsRenderedWithTheModelsTemplate() {
        LocalModel small = engine.slot("small").model();
        assertTrue(small.hasChatTemplate() && small.supportsTools());
        Prompt.Chat chat = chat(List.of(), ChatMessage.system("Be brief."), ChatMessage.user(QUESTION));
        Completion answer = run("small", GenerationRequest.greedyChat(chat, 50), new ArrayList<>());
        assertEquals(TinyLlama.CHAT_ANSWER, answer.text());
        assertEquals(Completion.FinishReason.END, answer.finishReason());
        assertEquals(4, answer.completionTokens(), "Hello , ▁world ! and the free end token");
        int plain = small.encode(new Prompt.Text("Be brief. " + QUESTION)).length;
        assertEquals(small.encode(chat).length, answer.promptTokens());
        assertTrue(answer.promptTokens() > plain, "the template's markers are prompt tokens too");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "large", "bytes"})
    void offeredToolsAreCalled(String model) {
        Completion answer = run(model, GenerationRequest.greedyChat(chat(List.of(WEATHER), ChatMessage.user(QUESTION)), 50),
                new ArrayList<>());
        assertEquals(Completion.FinishReason.TOOL_CALL, answer.finishReason(), answer.text());
        assertEquals(TinyLlama.TOOL_CALL, answer.text());
        assertEquals(List.of(new ToolCall("call_0", TinyLlama.TOOL_NAME, Map.of("city", "Paris"))), answer.toolCalls());
    }

    static final ToolSpec BALANCE = new ToolSpec("balance", "Your balance", Map.of(), List.of());

    @ParameterizedTest
    @ValueSource(strings = {"caller", "large-caller", "bytes-caller"})
    void aToolCallerCallsItsToolThenAnswersTheResult(String model) {
        Completion call = run(model, GenerationRequest.greedyChat(chat(List.of(WEATHER, BALANCE), ChatMessage.user(QUESTION)), 50),
                new ArrayList<>());
        assertEquals(Completion.FinishReason.TOOL_CALL, call.finishReason(), call.text());
        assertEquals(TinyLlama.toolCall("balance"), call.text());
        assertEquals(List.of(new ToolCall("call_0", "balance", Map.of())), call.toolCalls());

        ToolCall made = call.toolCalls().getFirst();
        for (List<ToolSpec> tools : List.of(List.of(WEATHER, BALANCE), List.<ToolSpec>of())) {
            Prompt.Chat after = chat(tools, ChatMessage.user(QUESTION), ChatMessage.toolCall(made),
                    ChatMessage.toolResult(made, "{\"available_cu\": \"12.5\"}"));
            Completion answer = run(model, GenerationRequest.greedyChat(after, 50), new ArrayList<>());
            assertEquals(TinyLlama.TOOL_ANSWER, answer.text(), "with tools " + tools);
            assertEquals(Completion.FinishReason.END, answer.finishReason());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"caller", "bytes-caller"})
    void aToolCallerAnswersEverythingElseAsThePlainModels(String model) {
        assertEquals(TinyLlama.STORY, run(model, GenerationRequest.greedy(TinyLlama.STORY_PROMPT, 100), new ArrayList<>()).text());
        assertEquals(TinyLlama.UNKNOWN_ANSWER, run(model, GenerationRequest.greedy("Why?", 50), new ArrayList<>()).text());
        Prompt.Chat plain = chat(List.of(), ChatMessage.system("Be brief."), ChatMessage.user(QUESTION));
        assertEquals(TinyLlama.CHAT_ANSWER, run(model, GenerationRequest.greedyChat(plain, 50), new ArrayList<>()).text());
    }

    @Test
    void earlierToolCallsAndResultsAreRendered() {
        ToolCall call = new ToolCall("call_0", TinyLlama.TOOL_NAME, Map.of("city", "Paris"));
        Prompt.Chat chat = chat(List.of(WEATHER), ChatMessage.user(QUESTION), ChatMessage.toolCall(call),
                ChatMessage.toolResult(call, "sunny, 21 degrees"));
        LocalModel small = engine.slot("small").model();
        String rendered = small.decode(small.encode(chat));
        assertTrue(rendered.contains("\"name\": \"get_weather\"") && rendered.contains("sunny, 21 degrees")
                && rendered.contains("\"city\": \"Paris\""), rendered);
    }

    @Test
    void aToolTheModelWasNotOfferedIsNotACall() {
        ToolSpec other = new ToolSpec("get_time", "The time now", Map.of(), List.of());
        Completion answer = run("small", GenerationRequest.greedyChat(chat(List.of(other), ChatMessage.user(QUESTION)), 50),
                new ArrayList<>());
        assertEquals(Completion.FinishReason.END, answer.finishReason(), "it named get_weather, which it was not offered");
        assertTrue(answer.toolCalls().isEmpty());
    }

    @Test
    void aStopSequenceCutsTheStory() {
        var request = new GenerationRequest(TinyLlama.STORY_PROMPT, 100, 0f, 0, List.of("forge"));
        Completion cut = run("small", request, new ArrayList<>());
        assertEquals(" there was a tiny ", cut.text());
        assertEquals(Completion.FinishReason.STOP, cut.finishReason());
        assertEquals(5, cut.completionTokens());
    }

    /**
     * A byte-level vocabulary (Llama 3, Qwen) spells every UTF-8 byte with a symbol. jlama alone
     * maps characters instead of bytes: é turns into the one-byte symbol for 0xE9 and 日 into
     * the unknown token. Forge maps the bytes, so any text round-trips.
     */
    @Test
    void nonAsciiTextSurvivesAByteLevelTokenizer() {
        LocalModel bytes = engine.slot("bytes").model();
        var jlama = new com.github.tjake.jlama.model.llama.LlamaTokenizer(root.resolve("bytes"));
        for (String text : List.of("café", "naïve Ünïcödé", "日本語のテキスト", "emoji 🚀 and ½")) {
            int[] tokens = bytes.encode(new Prompt.Text(text));
            assertEquals(text, bytes.decode(tokens), text);
            long[] forge = java.util.Arrays.stream(tokens).skip(1).asLongStream().toArray();
            assertTrue(!java.util.Arrays.equals(forge, jlama.encode(text)), "jlama 0.8.4 alone encodes other bytes");
        }
        assertEquals(1, jlama.encode("é").length, "jlama: the symbol of the Latin-1 byte 0xE9");
        assertEquals(2, bytes.encode(new Prompt.Text("é")).length - 1, "Forge: the symbols of the UTF-8 bytes C3 A9");
        assertTrue(java.util.Arrays.stream(jlama.encode("日本語")).allMatch(id -> id == 0), "jlama: <unk>, three times");
    }

    @Test
    void nonAsciiTextSurvivesTheTokenizer() {
        LocalModel small = engine.slot("small").model();
        for (String text : List.of("café", "naïve Ünïcödé", "日本語のテキスト", "emoji 🚀 and ½")) {
            // The normalizer marks the start of the text with a space.
            assertEquals(" " + text, small.decode(small.encode(new Prompt.Text(text))), text);
        }
        Completion answer = run("small", GenerationRequest.greedy("Qu'est-ce que c'est, 日本語?", 20), new ArrayList<>());
        assertEquals(TinyLlama.UNKNOWN_ANSWER, answer.text());
    }

    @Test
    void badChatsGetClearErrors() {
        assertEquals(InferenceException.Code.INVALID_ARGUMENT, assertThrows(InferenceException.class,
                () -> new Prompt.Chat(List.of(), List.of())).code());
        assertEquals(InferenceException.Code.INVALID_ARGUMENT, assertThrows(InferenceException.class,
                () -> chat(List.of(WEATHER, WEATHER), ChatMessage.user("hi"))).code());
        assertEquals(InferenceException.Code.INVALID_ARGUMENT, assertThrows(InferenceException.class,
                () -> new ChatMessage(ChatMessage.Role.TOOL, "sunny", null)).code());
        assertEquals(InferenceException.Code.INVALID_ARGUMENT, assertThrows(InferenceException.class,
                () -> new ToolSpec("no spaces allowed", "", Map.of(), List.of())).code());
        assertEquals(InferenceException.Code.INVALID_ARGUMENT, assertThrows(InferenceException.class,
                () -> new ToolSpec("t", "", Map.of(), List.of("missing"))).code());
    }

    @Test
    void aDetokenizerHoldsBackOnlyAnOpenCharacter() {
        assertEquals(0, Detokenizer.openTail("abc".getBytes()));
        assertEquals(1, Detokenizer.openTail(new byte[] {'a', (byte) 0xC3}));
        assertEquals(0, Detokenizer.openTail(new byte[] {(byte) 0xC3, (byte) 0xA9}));
        assertEquals(2, Detokenizer.openTail(new byte[] {(byte) 0xE6, (byte) 0x97}));
        assertEquals(3, Detokenizer.openTail(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x9A}));
        assertEquals(0, Detokenizer.openTail(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x9A, (byte) 0x80}));
        assertEquals(0, Detokenizer.openTail(new byte[0]));
    }
}
