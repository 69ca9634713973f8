package dev.forge.agent;

import dev.forge.economy.market.Cu;
import dev.forge.economy.market.ModelTier;

/**
 * A provider's offer of a model the agent knows the digest of.
 *
 * @param pricePerKiloToken µCU per 1,000 tokens
 */
public record Offer(String provider, String model, String modelDigest, ModelTier tier, long pricePerKiloToken) {
    /** The most a task can cost here: its prompt bound plus its max tokens at this price, rounded up. */
    public long worstCase(Task task) {
        return Cu.cost((long) task.promptTokenBound() + task.maxTokens(), pricePerKiloToken);
    }

    public String key() {
        return provider + "/" + model;
    }
}
