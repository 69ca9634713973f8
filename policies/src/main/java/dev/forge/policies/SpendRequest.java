package dev.forge.policies;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Limits;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A spend an agent wants to make: what it may cost at most, to whom, for what.
 *
 * @param agent the paying agent account
 * @param payee the account that receives the money (the provider, the pool)
 * @param action what the money is for
 * @param model the model to run, for inference; empty otherwise (no circuit breaker applies)
 * @param amount the most it may cost, µCU: the amount held
 * @param key the caller's idempotency key for the hold
 * @param digest a canonical digest of the call's arguments (hex), so that an approval binds
 *     what was asked and not only how much; empty when nothing is bound beyond the fields
 */
public record SpendRequest(String agent, String payee, SpendAction action, String model, long amount, String key,
                           String digest) {
    public SpendRequest {
        PolicyException.require(AccountSpec.validId(agent), Refusal.INVALID_ARGUMENT, "agent id is invalid");
        PolicyException.require(AccountSpec.validId(payee), Refusal.INVALID_ARGUMENT, "payee id is invalid");
        PolicyException.require(!agent.equals(payee), Refusal.INVALID_ARGUMENT, "an agent cannot pay itself");
        Objects.requireNonNull(action, "action");
        model = model == null ? "" : model;
        PolicyException.require(model.length() <= Limits.MAX_MODEL_BYTES, Refusal.INVALID_ARGUMENT, "model name too long");
        PolicyException.require(amount > 0, Refusal.INVALID_ARGUMENT, "amount must be positive, got " + amount);
        PolicyException.require(amount <= Limits.MAX_AMOUNT, Refusal.INVALID_ARGUMENT, "amount is above the largest allowed");
        PolicyException.require(key != null && !key.isBlank() && key.length() <= 96 && !key.startsWith("~"),
                Refusal.INVALID_ARGUMENT, "key must be 1-96 characters and not start with ~");
        digest = digest == null ? "" : digest;
        PolicyException.require(digest.length() <= 128, Refusal.INVALID_ARGUMENT, "digest too long");
    }

    public SpendRequest(String agent, String payee, SpendAction action, String model, long amount, String key) {
        this(agent, payee, action, model, amount, key, "");
    }

    /** The hex SHA-256 of canonically written arguments: what {@code digest} should be. */
    public static String digestOf(CanonicalWriter arguments) {
        return HexFormat.of().formatHex(Sha256.hash(arguments.toByteArray()));
    }

    /**
     * Whether an approval given for this request also covers {@code resumed}: the same agent,
     * payee, action, model and arguments, at no higher an amount (a chat's price may have fallen).
     */
    public boolean covers(SpendRequest resumed) {
        return agent.equals(resumed.agent) && payee.equals(resumed.payee) && action == resumed.action
                && model.equals(resumed.model) && digest.equals(resumed.digest) && resumed.amount <= amount;
    }

    public boolean infers() {
        return !model.isEmpty();
    }
}
