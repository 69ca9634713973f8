package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.ledger.TransferRequest;
import dev.forge.node.Visibility;
import dev.forge.node.app.CallRefused;
import dev.forge.node.work.RegisteredKey;
import dev.forge.node.work.WorkService;
import dev.forge.policies.Actor;
import dev.forge.policies.KillState;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An account's money: what it holds, what is free, what is held for spends in progress; and an
 * agent's two accounts (its own, which the node's custodial key signs for, and its registered
 * key's, where its work is paid and its self-signed orders are held), between which it moves CU.
 */
public final class AccountService {
    private final Ledger ledger;
    private final WorkService work;
    private final Supplier<KillState> killState;

    /** @param killState the kill switch now: a move is refused while it is pulled */
    public AccountService(Ledger ledger, WorkService work, Supplier<KillState> killState) {
        this.ledger = ledger;
        this.work = work;
        this.killState = killState;
    }

    public record BalanceRequest(
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("the account to show (operator only; default: yours)")
            String account) {
    }

    public record Balance(
            @JsonPropertyDescription("account id") String account,
            @JsonPropertyDescription("posted balance (the treasury's is below zero)") SignedAmount balanceCu,
            @JsonPropertyDescription("free to spend now (the treasury's is below zero)") SignedAmount availableCu,
            @JsonPropertyDescription("held for spends in progress") Amount heldCu,
            @Nullable @JsonPropertyDescription("your registered key's account (register_key): your work is paid there")
            String keyAccount,
            @Nullable @JsonPropertyDescription("its posted balance; move_funds moves it to your account") Amount keyBalanceCu,
            @JsonPropertyDescription("this node's id, the audience of orders and key proofs you sign") String nodeAudience) {
    }

    public Balance balance(Actor actor, BalanceRequest request) {
        String id = subject(actor, request.account());
        Account a = existing(id);
        Optional<Account> key = work.keyOf(id).map(RegisteredKey::account).map(this::existing);
        return new Balance(id, SignedAmount.of(a.balance()), SignedAmount.of(a.available()), Amount.of(a.debitsPending()),
                key.map(Account::id).orElse(null), key.map(k -> Amount.of(k.balance())).orElse(null), work.audience());
    }

    public record MoveFundsRequest(
            @JsonPropertyDescription("how much to move") Amount amountCu,
            @Pattern(regexp = "^(key|account)$")
            @JsonPropertyDescription("key: from your key's account to your account; account: the other way") String from) {
    }

    public record FundsMoved(
            @JsonPropertyDescription("moved") Amount movedCu,
            @JsonPropertyDescription("your account's posted balance now") Amount accountCu,
            @JsonPropertyDescription("your key's account's posted balance now") Amount keyCu) {
    }

    /**
     * Moves CU between the caller's own two accounts in one ledger transfer ({@link TransferCode#MOVE}).
     * Which accounts is the bearer token's alone: no argument names one. Not a spend (the money
     * stays the agent's), so no budget applies; the kill switch freezes it as it freezes spending.
     */
    public FundsMoved moveFunds(Actor actor, MoveFundsRequest request) {
        if (actor.isOperator()) throw CallRefused.invalid("the operator has no accounts of its own; an agent moves its own funds");
        long amount = request.amountCu().positive("amount_cu");
        String account = actor.id();
        String key = work.requireKey(actor).account();
        PolicyException.require(!killState.get().active(), Refusal.KILL_SWITCH, "moving funds is frozen by the kill switch");
        boolean fromKey = switch (request.from()) {
            case "key" -> true;
            case "account" -> false;
            default -> throw CallRefused.invalid("from is \"key\" or \"account\"");
        };
        ledger.transfer(TransferRequest.single("move:" + UUID.randomUUID(), fromKey ? key : account, fromKey ? account : key,
                amount, TransferCode.MOVE));
        return new FundsMoved(Amount.of(amount), Amount.of(existing(account).balance()), Amount.of(existing(key).balance()));
    }

    private Account existing(String id) {
        return ledger.account(id).orElseThrow(() -> new CallRefused("unknown_account", "no account " + id));
    }

    public record AccountView(
            @JsonPropertyDescription("account id") String account,
            @JsonPropertyDescription("treasury, fees, agent, provider, pool, escrow or peer (another grid node, docs/grid.md)") String kind,
            @JsonPropertyDescription("posted balance (the treasury's is below zero)") SignedAmount balanceCu,
            @JsonPropertyDescription("free to spend now (the treasury's is below zero)") SignedAmount availableCu) {
    }

    /** Every account on the node (operator only), as the operator's page lists them. */
    public List<AccountView> accounts(Actor actor) {
        PolicyException.require(actor.isOperator(), Refusal.UNAUTHORIZED, "only the operator sees every account");
        return ledger.accounts().stream().map(a -> new AccountView(a.id(), a.kind().name().toLowerCase(Locale.ROOT),
                SignedAmount.of(a.balance()), SignedAmount.of(a.available()))).toList();
    }

    /** Whose account a call is about: the caller's own (or its key's), or any for the operator. */
    private String subject(Actor actor, String named) {
        if (named == null) {
            if (actor.isOperator()) throw CallRefused.invalid("the operator has no balance of its own; name an account");
            return actor.id();
        }
        return Visibility.requireVisible(actor, named, work.keyOf(actor.id()).map(RegisteredKey::account));
    }
}
