package dev.forge.node;

import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.WorkException;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import java.util.ArrayList;
import java.util.List;

/**
 * Between the engine's request and its canonical form ({@link ChatRequest}, {@code forge/chat-request/v1}):
 * the node digests what it is asked to run, and a provider runs what an order's input says.
 * What the canonical form cannot say (tools, tool calls) is refused as {@code invalid_argument}.
 */
public final class ChatRequests {
    private ChatRequests() {
    }

    /** The canonical form of running {@code request} on {@code model}. */
    public static ChatRequest of(String model, GenerationRequest request) {
        try {
            var replay = new Replay(request.maxTokens(), Replay.temperatureMilli(request.temperature()), request.seed(),
                    request.stop());
            return switch (request.prompt()) {
                case Prompt.Text text -> ChatRequest.text(model, text.text(), replay);
                case Prompt.Chat chat -> ChatRequest.chat(model, messages(chat), replay);
            };
        } catch (WorkException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** What the engine runs for a canonical request: the same prompt, and the replay's parameters. */
    public static GenerationRequest generation(ChatRequest request) {
        Replay replay = request.replay();
        Prompt prompt = switch (request.input()) {
            case ChatRequest.Text text -> new Prompt.Text(text.text());
            case ChatRequest.Messages m -> new Prompt.Chat(m.messages().stream().map(ChatRequests::message).toList(), List.of());
        };
        return new GenerationRequest(prompt, replay.maxTokens(), replay.temperature(), replay.seed(), replay.stop());
    }

    /**
     * A temperature as a chat API gives it, strictly in thousandths ({@link Replay#temperatureMilli(double)}),
     * as the float the engine runs: 0.7 is accepted, 0.7001 is {@code invalid_argument}, not rounded.
     */
    public static float temperature(double temperature) {
        try {
            return Replay.temperatureMilli(temperature) / 1000f;
        } catch (WorkException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<ChatRequest.Message> messages(Prompt.Chat chat) {
        if (!chat.tools().isEmpty()) throw new IllegalArgumentException("a paid chat cannot offer tools yet");
        List<ChatRequest.Message> messages = new ArrayList<>(chat.messages().size());
        for (ChatMessage m : chat.messages()) {
            if (m.toolCall() != null) throw new IllegalArgumentException("a paid chat cannot carry tool calls yet");
            ChatRequest.Role role = switch (m.role()) {
                case SYSTEM -> ChatRequest.Role.SYSTEM;
                case USER -> ChatRequest.Role.USER;
                case ASSISTANT -> ChatRequest.Role.ASSISTANT;
                case TOOL -> throw new IllegalArgumentException("a paid chat cannot carry tool results yet");
            };
            messages.add(new ChatRequest.Message(role, m.content()));
        }
        return messages;
    }

    private static ChatMessage message(ChatRequest.Message m) {
        return switch (m.role()) {
            case SYSTEM -> ChatMessage.system(m.content());
            case USER -> ChatMessage.user(m.content());
            case ASSISTANT -> ChatMessage.assistant(m.content());
        };
    }
}
