package dev.forge.policies;

import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Limits;

/**
 * A spend an agent wants to make: what it may cost at most, to whom, for what.
 *
 * @param agent the paying agent account
 * @param payee the account that receives the money (the provider, the pool)
 * @param action what the money is for: {@code chat}, {@code lend}, {@code repay}, ...
 * @param model the model to run, for inference; empty otherwise (no circuit breaker applies)
 * @param amount the most it may cost, µCU: the amount held
 * @param key the caller's idempotency key for the hold
 */
public record SpendRequest(String agent, String payee, String action, String model, long amount, String key) {
    public SpendRequest {
        PolicyException.require(AccountSpec.validId(agent), Refusal.INVALID_ARGUMENT, "agent id is invalid");
        PolicyException.require(AccountSpec.validId(payee), Refusal.INVALID_ARGUMENT, "payee id is invalid");
        PolicyException.require(!agent.equals(payee), Refusal.INVALID_ARGUMENT, "an agent cannot pay itself");
        PolicyException.require(action != null && !action.isBlank() && action.length() <= 32, Refusal.INVALID_ARGUMENT,
                "action must be 1-32 characters");
        model = model == null ? "" : model;
        PolicyException.require(model.length() <= Limits.MAX_MODEL_BYTES, Refusal.INVALID_ARGUMENT, "model name too long");
        PolicyException.require(amount > 0, Refusal.INVALID_ARGUMENT, "amount must be positive, got " + amount);
        PolicyException.require(amount <= Limits.MAX_AMOUNT, Refusal.INVALID_ARGUMENT, "amount is above the largest allowed");
        PolicyException.require(key != null && !key.isBlank() && key.length() <= 96 && !key.startsWith("~"),
                Refusal.INVALID_ARGUMENT, "key must be 1-96 characters and not start with ~");
    }

    public boolean infers() {
        return !model.isEmpty();
    }
}
