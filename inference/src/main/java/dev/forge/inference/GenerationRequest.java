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
public record GenerationRequest(String prompt, int maxTokens, float temperature, long seed, List<String> stop) {
    public static final int MAX_PROMPT_CHARS = 1_000_000;

    public GenerationRequest {
        InferenceException.require(prompt != null && !prompt.isBlank(), InferenceException.Code.INVALID_ARGUMENT,
                "the prompt is empty");
        InferenceException.require(prompt.length() <= MAX_PROMPT_CHARS, InferenceException.Code.INVALID_ARGUMENT,
                "the prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        InferenceException.require(maxTokens >= 1, InferenceException.Code.INVALID_ARGUMENT,
                "max tokens must be at least 1, got " + maxTokens);
        InferenceException.require(temperature >= 0 && temperature <= 2 && !Float.isNaN(temperature),
                InferenceException.Code.INVALID_ARGUMENT, "temperature must be between 0 and 2, got " + temperature);
        stop = stop == null ? List.of() : List.copyOf(stop);
        InferenceException.require(stop.size() <= 8 && stop.stream().allMatch(s -> !s.isEmpty() && s.length() <= 64),
                InferenceException.Code.INVALID_ARGUMENT, "at most 8 stop sequences of 1 to 64 characters");
    }

    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, maxTokens, 0f, 0, List.of());
    }
}
