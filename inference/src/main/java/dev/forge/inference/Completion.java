package dev.forge.inference;

import java.util.List;

/**
 * What a generation produced, metered exactly by the model's tokenizer.
 *
 * @param promptTokens tokens of the prompt as the model saw it (with its start token and, for a
 *     chat, everything the chat template added)
 * @param completionTokens tokens generated, whether or not they reached the text (a stop
 *     sequence's tokens were generated and are counted; the end token is not)
 * @param toolCalls the tools the model called, when the finish reason is {@code TOOL_CALL}
 */
public record Completion(String text, int promptTokens, int completionTokens, FinishReason finishReason,
                         List<ToolCall> toolCalls) {
    public enum FinishReason {
        /** The model ended the text. */
        END,
        /** A stop sequence was generated. */
        STOP,
        /** The max tokens were reached. */
        LENGTH,
        /** The caller cancelled between two tokens. */
        CANCELLED,
        /** The model ended its answer with calls of the tools it was offered. */
        TOOL_CALL
    }

    public Completion {
        toolCalls = List.copyOf(toolCalls);
    }

    Completion withToolCalls(List<ToolCall> calls) {
        return new Completion(text, promptTokens, completionTokens, FinishReason.TOOL_CALL, calls);
    }
}
