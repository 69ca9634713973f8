package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.Ledger;
import dev.forge.node.Visibility;
import dev.forge.node.mcp.ToolException;
import dev.forge.policies.Actor;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.Size;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import java.util.List;
import java.util.Locale;

/** An account's money: what it holds, what is free, what is held for spends in progress. */
public final class AccountService {
    private final Ledger ledger;

    public AccountService(Ledger ledger) {
        this.ledger = ledger;
    }

    public record BalanceRequest(
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("the account to show (operator only; default: yours)")
            String account) {
    }

    public record Balance(
            @JsonPropertyDescription("account id") String account,
            @JsonPropertyDescription("posted balance (the treasury's is below zero)") SignedAmount balanceCu,
            @JsonPropertyDescription("free to spend now (the treasury's is below zero)") SignedAmount availableCu,
            @JsonPropertyDescription("held for spends in progress") Amount heldCu) {
    }

    public Balance balance(Actor actor, BalanceRequest request) {
        String id = subject(actor, request.account());
        Account a = ledger.account(id).orElseThrow(() -> new ToolException("unknown_account", "no account " + id));
        return new Balance(id, SignedAmount.of(a.balance()), SignedAmount.of(a.available()), Amount.of(a.debitsPending()));
    }

    public record AccountView(
            @JsonPropertyDescription("account id") String account,
            @JsonPropertyDescription("treasury, fees, agent, provider, pool or escrow") String kind,
            @JsonPropertyDescription("posted balance (the treasury's is below zero)") SignedAmount balanceCu,
            @JsonPropertyDescription("free to spend now (the treasury's is below zero)") SignedAmount availableCu) {
    }

    /** Every account on the node (operator only), as the operator's page lists them. */
    public List<AccountView> accounts(Actor actor) {
        PolicyException.require(actor.isOperator(), Refusal.UNAUTHORIZED, "only the operator sees every account");
        return ledger.accounts().stream().map(a -> new AccountView(a.id(), a.kind().name().toLowerCase(Locale.ROOT),
                SignedAmount.of(a.balance()), SignedAmount.of(a.available()))).toList();
    }

    /** Whose account a call is about: the caller's own, or any for the operator. */
    static String subject(Actor actor, String named) {
        if (named == null) {
            if (actor.isOperator()) throw ToolException.invalid("the operator has no balance of its own; name an account");
            return actor.id();
        }
        return Visibility.requireVisible(actor, named);
    }
}
