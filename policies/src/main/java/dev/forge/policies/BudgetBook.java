package dev.forge.policies;

import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.AccountKind;
import dev.forge.economy.ledger.HoldStatus;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.Transfer;
import dev.forge.economy.ledger.TransferCode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Budgets: the node-wide default, the operator's per-agent overrides (both persisted), and
 * each agent's spending window. The windows are not stored: on start they are rebuilt from
 * the ledger, which holds every debit with its time, so a restart cannot reset a budget.
 */
final class BudgetBook {
    private static final String DEFAULT_KEY = "budget:default";
    private static final String AGENT_PREFIX = "budget:agent:";

    private final SafetyStore store;
    private volatile BudgetPolicy defaults;
    private final Map<String, BudgetPolicy> overrides = new ConcurrentHashMap<>();
    private final Map<String, AgentWindow> windows = new ConcurrentHashMap<>();

    BudgetBook(SafetyStore store) {
        this.store = store;
        byte[] saved = store.get(DEFAULT_KEY);
        defaults = saved == null ? BudgetPolicy.DEFAULT : BudgetPolicy.decode(saved);
        store.withPrefix(AGENT_PREFIX).forEach((key, value) ->
                overrides.put(key.substring(AGENT_PREFIX.length()), BudgetPolicy.decode(value)));
    }

    BudgetPolicy policyFor(String agent) {
        return overrides.getOrDefault(agent, defaults);
    }

    BudgetPolicy defaults() {
        return defaults;
    }

    void setDefaults(BudgetPolicy policy) {
        store.put(DEFAULT_KEY, policy.encode());
        defaults = policy;
    }

    void setFor(String agent, BudgetPolicy policy) {
        store.put(AGENT_PREFIX + agent, policy.encode());
        overrides.put(agent, policy);
    }

    AgentWindow window(String agent) {
        return windows.computeIfAbsent(agent, id -> new AgentWindow());
    }

    /**
     * Every debit of an agent account is spending: single transfers at their time, holds
     * still pending at their full amount, posted holds at what was posted (at the hold's time).
     */
    void restoreFrom(Ledger ledger, long now) {
        restore(ledger, now, id -> isAgent(ledger, id) ? Optional.of(id) : Optional.empty());
    }

    /**
     * The same for accounts an agent owns besides its own (its registered key's, which pays its
     * self-signed orders), charged to the owner; known only once the node has read who owns them.
     */
    void restoreOwned(Ledger ledger, long now, Function<String, Optional<String>> ownerOf) {
        restore(ledger, now, id -> isAgent(ledger, id) ? Optional.empty() : ownerOf.apply(id));
    }

    private void restore(Ledger ledger, long now, Function<String, Optional<String>> spenderOf) {
        for (long id = 1; id <= ledger.transferCount(); id++) {
            Transfer t = ledger.findTransfer(id).orElseThrow();
            // A move between the agent's own two accounts is no spend (move_funds).
            if (t.code() == TransferCode.MOVE) continue;
            Optional<String> spender = spenderOf.apply(t.debitAccount());
            if (spender.isEmpty()) continue;
            switch (t.phase()) {
                case SINGLE -> window(spender.get()).restore(t.timestamp(), t.amount(), now);
                case PENDING -> {
                    if (ledger.holdStatus(id).orElseThrow() == HoldStatus.PENDING) {
                        window(spender.get()).restore(t.timestamp(), t.amount(), now);
                    }
                }
                case POST -> {
                    long heldAt = ledger.findTransfer(t.pendingId()).orElseThrow().timestamp();
                    window(spender.get()).restore(heldAt, t.amount(), now);
                }
                case VOID -> { }
            }
        }
    }

    private static boolean isAgent(Ledger ledger, String id) {
        return ledger.account(id).map(Account::kind).orElse(null) == AccountKind.AGENT;
    }
}
