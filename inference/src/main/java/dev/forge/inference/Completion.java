package dev.forge.inference;

/**
 * What a generation produced, metered exactly by the model's tokenizer.
 *
 * @param promptTokens tokens of the prompt as the model saw it (with its start token)
 * @param completionTokens tokens generated, whether or not they reached the text (a stop
 *     sequence's tokens were generated and are counted)
 */
public record Completion(String text, int promptTokens, int completionTokens, FinishReason finishReason) {
    public enum FinishReason {
        /** The model ended the text. */
        END,
        /** A stop sequence was generated. */
        STOP,
        /** The max tokens were reached. */
        LENGTH,
        /** The caller cancelled between two tokens. */
        CANCELLED
    }
}
