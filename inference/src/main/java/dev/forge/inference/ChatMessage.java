package dev.forge.inference;

import java.util.Locale;

/**
 * One turn of a chat. An assistant turn either says something or calls a tool; a tool turn
 * carries the result of the call it names.
 */
public record ChatMessage(Role role, String content, ToolCall toolCall) {
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT,
        TOOL;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChatMessage {
        InferenceException.require(role != null, InferenceException.Code.INVALID_ARGUMENT, "a message needs a role");
        InferenceException.require(toolCall == null || role == Role.ASSISTANT || role == Role.TOOL,
                InferenceException.Code.INVALID_ARGUMENT, "only assistant and tool messages refer to a tool call");
        InferenceException.require(role != Role.TOOL || toolCall != null, InferenceException.Code.INVALID_ARGUMENT,
                "a tool message must name the call it answers");
        InferenceException.require(content != null || role == Role.ASSISTANT && toolCall != null,
                InferenceException.Code.INVALID_ARGUMENT, "a " + role.text() + " message needs content");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, null);
    }

    /** The assistant's earlier call of a tool. */
    public static ChatMessage toolCall(ToolCall call) {
        return new ChatMessage(Role.ASSISTANT, null, call);
    }

    /** What the tool returned for {@code call}. */
    public static ChatMessage toolResult(ToolCall call, String result) {
        return new ChatMessage(Role.TOOL, result, call);
    }

    long length() {
        return content == null ? 0 : content.length();
    }
}
