package dev.forge.economy.market;

/**
 * A model request to route.
 *
 * @param maxPricePerKiloToken offers priced above it are left out; 0 for no limit
 * @param filter providers below the buyer's minimum verification rate or completed orders are left out
 */
public record RouteRequest(String model, int promptTokens, int maxTokens, RouteMode mode, long maxPricePerKiloToken,
                           ProviderFilter filter) {
    public RouteRequest(String model, int promptTokens, int maxTokens, RouteMode mode, long maxPricePerKiloToken) {
        this(model, promptTokens, maxTokens, mode, maxPricePerKiloToken, ProviderFilter.NONE);
    }

    public RouteRequest {
        MarketException.require(filter != null, MarketException.Code.INVALID_ARGUMENT, "a provider filter is required (NONE for none)");
        MarketException.require(model != null && !model.isBlank(), MarketException.Code.INVALID_ARGUMENT, "a model is required");
        MarketException.require(promptTokens >= 0 && maxTokens >= 1 && promptTokens <= 10_000_000 && maxTokens <= 10_000_000,
                MarketException.Code.INVALID_ARGUMENT, "prompt tokens 0 to 1e7 and max tokens 1 to 1e7");
        MarketException.require(mode != null, MarketException.Code.INVALID_ARGUMENT, "a route mode is required (cost, quality, balanced)");
        MarketException.require(maxPricePerKiloToken >= 0, MarketException.Code.INVALID_ARGUMENT, "max price must not be negative");
    }
}
