package dev.forge.agent;

import dev.forge.economy.market.ModelTier;

/**
 * One piece of work the agent wants done: a prompt, the tokens it may take, the tier it
 * deserves and what a result is worth to the agent at that tier.
 *
 * @param value µCU a result at {@code needs} or above is worth; a lower tier is worth less (see {@link #valueAt})
 */
public record Task(String id, String prompt, int maxTokens, ModelTier needs, long value) {
    public static final int MAX_PROMPT_CHARS = 2_000;
    public static final int MAX_TOKENS = 4_096;

    public Task {
        if (id == null || !id.matches("[a-z0-9-]{1,32}")) throw new IllegalArgumentException("a task id is 1 to 32 of a-z 0-9 -");
        if (prompt == null || prompt.isEmpty() || prompt.length() > MAX_PROMPT_CHARS) {
            throw new IllegalArgumentException("a task's prompt is 1 to " + MAX_PROMPT_CHARS + " characters");
        }
        if (maxTokens < 1 || maxTokens > MAX_TOKENS) throw new IllegalArgumentException("max tokens is 1 to " + MAX_TOKENS);
        if (needs == null || value < 0) throw new IllegalArgumentException("a task needs a tier and a value of at least 0");
    }

    /**
     * What a result from {@code tier} is worth: the full value at the deserved tier or above,
     * and below it a share in proportion to the tiers reached ({@code (rank + 1) / (needed rank + 1)},
     * rounded down): a tiny answer to a large task is worth a quarter.
     */
    public long valueAt(ModelTier tier) {
        int reached = Math.min(tier.ordinal(), needs.ordinal()) + 1;
        return Math.multiplyExact(value, reached) / (needs.ordinal() + 1);
    }

    /**
     * The most prompt tokens this prompt can be: a byte-level tokenizer makes at most one token
     * per UTF-8 byte, plus the begin and end markers and slack for a template.
     */
    public int promptTokenBound() {
        return prompt.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16;
    }
}
