package dev.forge.economy.market;

import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Limits;

/**
 * A provider's offer to serve a model.
 *
 * @param floorPerKiloToken the least it sells for, µCU per 1,000 tokens; the market price applies when higher
 * @param tokensPerMinute what it can serve: the supply side of the tier's price
 */
public record Offer(String provider, String model, ModelTier tier, long floorPerKiloToken, long tokensPerMinute) {
    public static final long MAX_TOKENS_PER_MINUTE = 1_000_000_000L;

    public Offer {
        MarketException.require(AccountSpec.validId(provider), MarketException.Code.INVALID_ARGUMENT, "provider id is invalid");
        MarketException.require(model != null && model.matches("[A-Za-z0-9._:/-]{1,64}"), MarketException.Code.INVALID_ARGUMENT,
                "a model name is 1-64 characters of A-Z a-z 0-9 . _ : / -");
        MarketException.require(tier != null, MarketException.Code.INVALID_ARGUMENT, "an offer needs a tier");
        MarketException.require(floorPerKiloToken >= 0 && floorPerKiloToken <= Limits.MAX_AMOUNT / 1_000_000,
                MarketException.Code.INVALID_ARGUMENT, "price floor out of range");
        MarketException.require(tokensPerMinute > 0 && tokensPerMinute <= MAX_TOKENS_PER_MINUTE,
                MarketException.Code.INVALID_ARGUMENT, "capacity must be 1 to 1e9 tokens per minute");
    }

    long capacityPerPeriod(long periodMillis) {
        return tokensPerMinute * periodMillis / 60_000;
    }
}
