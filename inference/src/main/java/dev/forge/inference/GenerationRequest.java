package dev.forge.inference;

import java.util.List;

/**
 * What to generate.
 *
 * @param maxTokens the most tokens to generate (the prompt comes on top), 1 to the model's context
 * @param temperature 0 for greedy decoding, up to 2
 * @param seed makes sampling at a temperature above 0 repeatable
 * @param stop sequences that end the generation; they are not part of the text
 */
public record GenerationRequest(Prompt prompt, int maxTokens, float temperature, long seed, List<String> stop) {
    public GenerationRequest {
        InferenceException.require(prompt != null, InferenceException.Code.INVALID_ARGUMENT, "the prompt is missing");
        InferenceException.require(maxTokens >= 1, InferenceException.Code.INVALID_ARGUMENT,
                "max tokens must be at least 1, got " + maxTokens);
        InferenceException.require(temperature >= 0 && temperature <= 2 && !Float.isNaN(temperature),
                InferenceException.Code.INVALID_ARGUMENT, "temperature must be between 0 and 2, got " + temperature);
        stop = stop == null ? List.of() : List.copyOf(stop);
        InferenceException.require(stop.size() <= 8 && stop.stream().allMatch(s -> !s.isEmpty() && s.length() <= 64),
                InferenceException.Code.INVALID_ARGUMENT, "at most 8 stop sequences of 1 to 64 characters");
    }

    public GenerationRequest(String text, int maxTokens, float temperature, long seed, List<String> stop) {
        this(new Prompt.Text(text), maxTokens, temperature, seed, stop);
    }

    public static GenerationRequest greedy(String text, int maxTokens) {
        return new GenerationRequest(new Prompt.Text(text), maxTokens, 0f, 0, List.of());
    }

    public static GenerationRequest greedyChat(Prompt.Chat chat, int maxTokens) {
        return new GenerationRequest(chat, maxTokens, 0f, 0, List.of());
    }
}
