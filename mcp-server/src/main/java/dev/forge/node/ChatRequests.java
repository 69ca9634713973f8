package dev.forge.node;

import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.WorkException;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import dev.forge.inference.ToolSpec;
import java.util.List;

/**
 * Between the engine's request and its canonical form ({@link ChatRequest}, {@code forge/chat-request/v1}):
 * the node digests what it is asked to run, and a provider runs what an order's input says.
 * Tools, tool calls and tool results travel in it as marked turns ({@link ToolTurns}).
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
            case ChatRequest.Messages m -> chat(m.messages());
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
        return ToolTurns.encode(chat.tools(), chat.messages());
    }

    private static Prompt.Chat chat(List<ChatRequest.Message> turns) {
        List<ToolSpec> tools = ToolTurns.tools(turns);
        var rest = tools.isEmpty() ? turns : turns.subList(1, turns.size());
        return new Prompt.Chat(rest.stream().map(ToolTurns::message).toList(), tools);
    }
}
