package dev.forge.agent;

import dev.forge.economy.market.Cu;
import dev.forge.economy.market.ModelTier;

/**
 * A provider's offer of a model the agent knows the digest of.
 *
 * @param provider the provider's account on the agent's node, or for a remote offer the grid node that sells it
 * @param pricePerKiloToken µCU per 1,000 tokens
 * @param remote whether another node of the grid sells it: the agent's node buys it for the agent as a chat
 *               (an order the agent's key signs is for its own node only)
 */
public record Offer(String provider, String model, String modelDigest, ModelTier tier, long pricePerKiloToken, boolean remote) {
    /** An offer of a provider on the agent's own node. */
    public Offer(String provider, String model, String modelDigest, ModelTier tier, long pricePerKiloToken) {
        this(provider, model, modelDigest, tier, pricePerKiloToken, false);
    }

    /** The most a task can cost here: its prompt bound plus its max tokens at this price, rounded up. */
    public long worstCase(Task task) {
        return Cu.cost((long) task.promptTokenBound() + task.maxTokens(), pricePerKiloToken);
    }

    public String key() {
        return provider + "/" + model;
    }
}
