package dev.forge.inference;

import java.util.List;

/** What the model is asked: plain text to continue, or a chat rendered by the model's template. */
public sealed interface Prompt {
    int MAX_CHARS = 1_000_000;

    /** The characters the caller sent: the text, or every message's content. */
    long length();

    /** Text the model continues as it is. */
    record Text(String text) implements Prompt {
        public Text {
            InferenceException.require(text != null && !text.isBlank(), InferenceException.Code.INVALID_ARGUMENT,
                    "the prompt is empty");
            InferenceException.require(text.length() <= MAX_CHARS, InferenceException.Code.INVALID_ARGUMENT,
                    "the prompt is longer than " + MAX_CHARS + " characters");
        }

        @Override
        public long length() {
            return text.length();
        }
    }

    /** A conversation, and the tools the model may call in its answer. */
    record Chat(List<ChatMessage> messages, List<ToolSpec> tools) implements Prompt {
        public Chat {
            messages = messages == null ? List.of() : List.copyOf(messages);
            tools = tools == null ? List.of() : List.copyOf(tools);
            InferenceException.require(!messages.isEmpty(), InferenceException.Code.INVALID_ARGUMENT,
                    "a chat needs at least one message");
            InferenceException.require(messages.size() <= 1_000, InferenceException.Code.INVALID_ARGUMENT,
                    "a chat has at most 1,000 messages");
            InferenceException.require(messages.stream().mapToLong(ChatMessage::length).sum() <= MAX_CHARS,
                    InferenceException.Code.INVALID_ARGUMENT, "the messages are longer than " + MAX_CHARS + " characters");
            InferenceException.require(tools.size() <= 64, InferenceException.Code.INVALID_ARGUMENT,
                    "at most 64 tools");
            InferenceException.require(tools.stream().map(ToolSpec::name).distinct().count() == tools.size(),
                    InferenceException.Code.INVALID_ARGUMENT, "two tools have the same name");
        }

        @Override
        public long length() {
            return messages.stream().mapToLong(ChatMessage::length).sum();
        }
    }
}
