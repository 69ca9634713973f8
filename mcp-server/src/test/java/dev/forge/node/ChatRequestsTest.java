package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Replay;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import dev.forge.inference.ToolCall;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's request and its canonical form say the same thing, both ways. */
class ChatRequestsTest {
    static final GenerationRequest CHAT = new GenerationRequest(new Prompt.Chat(List.of(ChatMessage.system("Be brief."),
            ChatMessage.user("Once upon a time"), ChatMessage.assistant("there was")), List.of()), 40,
            ChatRequests.temperature(0.7), 9, List.of("\n"));

    @Test
    void aChatAndItsCanonicalFormGoBothWays() {
        ChatRequest canonical = ChatRequests.of("stories260K", CHAT);
        assertEquals(new Replay(40, 700, 9, List.of("\n")), canonical.replay());
        assertEquals(ChatRequest.Role.ASSISTANT, ((ChatRequest.Messages) canonical.input()).messages().get(2).role());
        assertEquals(CHAT, ChatRequests.generation(canonical));
        var text = GenerationRequest.greedy("Once upon a time", 20);
        assertEquals(text, ChatRequests.generation(ChatRequests.of("stories260K", text)));
    }

    @Test
    void theApprovalAndTheTradeBindTheSameDigest() {
        assertEquals(HexFormat.of().formatHex(ChatRequests.of("stories260K", CHAT).digest()),
                ChatService.digest("stories260K", CHAT));
        var otherSeed = new GenerationRequest(CHAT.prompt(), 40, CHAT.temperature(), 10, CHAT.stop());
        assertFalse(java.util.Arrays.equals(ChatRequests.of("stories260K", CHAT).digest(),
                ChatRequests.of("stories260K", otherSeed).digest()), "the seed is bound");
    }

    @Test
    void toolsCallsAndResultsGoBothWaysAsMarkedTurns() {
        var balance = new dev.forge.inference.ToolSpec("balance", "your balance", Map.of("unit", Map.of("type", "string")), List.of());
        var call = new ToolCall("call-1", "balance", Map.of());
        var chat = new GenerationRequest(new Prompt.Chat(List.of(ChatMessage.user("hi"), ChatMessage.toolCall(call),
                ChatMessage.toolResult(call, "{\"available_cu\": \"3\"}")), List.of(balance)), 10, 0, 0, List.of());
        ChatRequest canonical = ChatRequests.of("m", chat);
        var turns = ((ChatRequest.Messages) canonical.input()).messages();
        assertEquals(4, turns.size(), "the tools, then each message");
        assertEquals(ToolTurns.TOOLS + "[{\"description\":\"your balance\",\"name\":\"balance\",\"properties\":{\"unit\":"
                + "{\"type\":\"string\"}},\"required\":[]}]", turns.get(0).content());
        assertEquals(ToolTurns.CALL + "{\"arguments\":{},\"id\":\"call-1\",\"name\":\"balance\"}", turns.get(2).content());
        assertEquals(ChatRequest.Role.USER, turns.get(3).role());
        assertEquals(chat, ChatRequests.generation(canonical));
        var without = new GenerationRequest(new Prompt.Chat(List.of(ChatMessage.user("hi")), List.of()), 10, 0, 0, List.of());
        assertFalse(java.util.Arrays.equals(canonical.digest(), ChatRequests.of("m", without).digest()));
    }

    @Test
    void whatTheCanonicalFormCannotSayIsAnInvalidArgument() {
        var marked = new GenerationRequest(new Prompt.Chat(List.of(ChatMessage.user(ToolTurns.CALL + "{}")), List.of()), 10, 0, 0,
                List.of());
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.of("m", marked), "a plain turn may not pass for a tool turn");
        var fiveStops = new GenerationRequest("hi", 10, 0, 0, List.of("a", "b", "c", "d", "e"));
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.of("m", fiveStops));
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.temperature(0.7001));
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.temperature(0.70000001));
        assertEquals(0.7f, ChatRequests.temperature(0.7));
    }
}
