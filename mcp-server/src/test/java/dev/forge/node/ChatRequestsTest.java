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
    void whatTheCanonicalFormCannotSayIsAnInvalidArgument() {
        var call = new ToolCall("call-1", "balance", Map.of());
        var toolCall = new GenerationRequest(new Prompt.Chat(List.of(ChatMessage.user("hi"), ChatMessage.toolCall(call),
                ChatMessage.toolResult(call, "{}")), List.of()), 10, 0, 0, List.of());
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.of("m", toolCall));
        var fiveStops = new GenerationRequest("hi", 10, 0, 0, List.of("a", "b", "c", "d", "e"));
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.of("m", fiveStops));
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.temperature(0.7001));
        assertThrows(IllegalArgumentException.class, () -> ChatRequests.temperature(0.70000001));
        assertEquals(0.7f, ChatRequests.temperature(0.7));
    }
}
