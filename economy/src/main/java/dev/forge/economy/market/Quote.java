package dev.forge.economy.market;

/**
 * What a request costs at most at the model's market price now.
 *
 * @param maxCost (prompt tokens + max tokens) × price ÷ 1,000, rounded up, µCU
 */
public record Quote(String model, ModelTier tier, long pricePerKiloToken, int promptTokens, int maxTokens, long maxCost) {
}
