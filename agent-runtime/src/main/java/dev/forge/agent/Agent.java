package dev.forge.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.KeyProof;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One agent's run: it registers its own key with the node, then works through its tasks. For
 * each step it looks ({@link Observer}), its planner decides, its {@link Guard} checks, it acts
 * through the node's tools, and the journal records all four. A refusal never ends the run by
 * itself unless its {@link Reaction} is to stop; waits are bounded ({@link Backoff}).
 */
public final class Agent implements AutoCloseable {
    /** How the run ended. */
    /**
     * @param spent what the guard counted: the orders' most cost and the deposits
     * @param paid what the settled orders were paid
     */
    public record Result(int done, int skipped, boolean stopped, String why, long spent, long paid, long lent, long earned,
                         long borrowed, long repaid) {
    }

    /**
     * An approval the agent waits on: the call that was held, its id, and what the node holds for it. It is
     * retried with exactly these arguments and the id, never decided again: a recomputed amount would be
     * another request, which the approval does not cover.
     */
    private record Pending(Decision decision, Map<String, Object> arguments, String approvalId, long held) {
    }

    private final AgentSettings settings;
    private final NodeTools node;
    private final Journal journal;
    private final StatusLine status;
    private final InstantSource clock;
    private final OrderSigner signer;
    private final String account;
    private final Guard guard;
    private Observer observer;
    private KeyWallet wallet;
    private long repaid;
    private long lent;
    /** A loan's proceeds still on the agent account, to move to the key account before anything else. */
    private long unmoved;
    private volatile boolean stopped;

    private Agent(AgentSettings settings, PrintStream status, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        this.status = new StatusLine(status);
        Ed25519.KeyPair key = AgentKey.openOrCreate(settings.keyFile());
        this.node = new NodeTools(settings.node(), settings.token());
        this.journal = Journal.open(settings.folder());
        this.guard = new Guard(settings.limits());
        try {
            // The key proof binds the agent id and the node id, both as balance answers them.
            JsonNode self = node.call("balance", Map.of());
            byte[] proof = KeyProof.sign(key, self.path("account").asText(), self.path("node_audience").asText(), "");
            JsonNode registered = node.call("register_key", Map.of("public_key", Base64.getEncoder().encodeToString(key.publicKey()),
                    "proof", Base64.getEncoder().encodeToString(proof)));
            if (!registered.path("key_id").asText().equals(AgentKey.keyId(key))) {
                throw new AgentException("key_mismatch", "the node registered another key than this folder's");
            }
            this.account = registered.path("account").asText();
            this.signer = new OrderSigner(account, registered.path("audience").asText(), key);
            journal.write(clock.millis(), "", Map.of("decided", "register", "outcome", "key " + AgentKey.keyId(key).substring(0, 16)
                    + "… registered as " + account));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the folder and its key, and registers the public key (before a provider runtime registers its bodies). */
    public static Agent open(AgentSettings settings, PrintStream status, InstantSource clock) {
        return new Agent(settings, status, clock);
    }

    /** The account of the agent's key: it buys with it, and its provider runtime sells with it. */
    public String account() {
        return account;
    }

    public void stop() {
        stopped = true;
    }

    public Result run(Earnings earnings) throws InterruptedException {
        this.wallet = new KeyWallet(earnings);
        this.observer = new Observer(node, account, settings.models(), clock);
        List<Task> tasks = settings.tasks();
        int done = 0;
        int skipped = 0;
        for (int i = 0; i < tasks.size() && !stopped; i++) {
            guard.nextTask();
            Outcome outcome = work(tasks.get(i), tasks.subList(i + 1, tasks.size()), i + 1);
            switch (outcome.kind()) {
                case DONE -> done++;
                case SKIPPED -> skipped++;
                case STOPPED -> {
                    return finish(done, skipped, true, outcome.why());
                }
            }
        }
        if (!stopped) {
            guard.nextTask();
            Outcome settled = work(SETTLE, List.of(), tasks.size() + 1);
            if (settled.kind() == End.STOPPED) return finish(done, skipped, true, settled.why());
        }
        return finish(done, skipped, stopped, stopped ? "stopped by its owner" : "every task handled");
    }

    /** The step after the last task: its loans repaid from what it earns ({@link Planner#settle}). */
    private static final Task SETTLE = new Task("settle-loans", "repay what is owed", 1, dev.forge.economy.market.ModelTier.TINY, 0);

    private Result finish(int done, int skipped, boolean stoppedEarly, String why) {
        var result = new Result(done, skipped, stoppedEarly, why, guard.spent(), wallet.committed(), lent, wallet.earned(),
                guard.borrowed(), repaid);
        String summary = done + " done, " + skipped + " skipped; paid " + Cu.format(result.paid()) + " CU for orders, earned "
                + Cu.format(result.earned()) + " CU, lent " + Cu.format(lent) + ", borrowed " + Cu.format(result.borrowed())
                + ", repaid " + Cu.format(repaid) + "; moved " + Cu.format(wallet.movedIn()) + " CU to the key account and "
                + Cu.format(wallet.movedOut()) + " CU back";
        journal.write(clock.millis(), "", Map.of("decided", "end", "why", why, "outcome", summary));
        status.end("forge agent: " + why + ": " + summary);
        return result;
    }

    private enum End { DONE, SKIPPED, STOPPED }

    private record Outcome(End kind, String why) {
    }

    /** One task, step by step, until it is done, given up or the run stops. */
    private Outcome work(Task task, List<Task> ahead, int number) throws InterruptedException {
        var backoff = new Backoff(settings.firstWaitMillis(), settings.longestWaitMillis(), settings.waits());
        Set<String> offersOut = new HashSet<>();
        Set<Decision.Kind> kindsOut = new HashSet<>();
        Pending pending = null;
        while (!stopped) {
            Snapshot seen;
            try {
                seen = observer.look(wallet, lent);
            } catch (Refusal r) {
                if (!pause(backoff, task, "could not look: " + r.code() + ": " + r.getMessage())) return stop(task, "the node stayed unreachable");
                continue;
            }
            if (unmoved > 0) {
                journal.write(clock.millis(), task.id(), Map.of("decided", "fund", "why", "a loan's proceeds are still on my agent "
                        + "account; orders are paid from my key account", "outcome", fund()));
                if (unmoved > 0 && !pause(backoff, task, "moving a loan's proceeds")) return stop(task, "the proceeds could not be moved");
                continue;
            }
            Decision proposed = pending != null ? pending.decision() : task == SETTLE ? settings.planner().settle(seen)
                    : settings.planner().decide(seen, task, ahead, new Planner.RuledOut(offersOut, kindsOut));
            Decision decision = pending != null ? proposed : guard.check(proposed);
            status.show(number, settings.tasks().size(), seen, guard.spent(), decision);
            if (decision != proposed && decision.kind() == Decision.Kind.SKIP && sideStep(proposed)) {
                // The guard declined a loan or a deposit: the task goes on without it.
                record(task, seen, decision, "declined: " + proposed.reason(), "", Map.of());
                kindsOut.add(proposed.kind());
                continue;
            }
            switch (decision.kind()) {
                case WAIT -> {
                    record(task, seen, decision, "waiting", "", Map.of());
                    if (!pause(backoff, task, decision.reason())) return stop(task, "waited " + settings.waits() + " times: " + decision.reason());
                    continue;
                }
                case SKIP -> {
                    record(task, seen, decision, "skipped", "", Map.of());
                    return new Outcome(End.SKIPPED, decision.reason());
                }
                case STOP -> {
                    record(task, seen, decision, "stopped", "", Map.of());
                    return new Outcome(End.STOPPED, decision.reason());
                }
                default -> {
                }
            }
            Map<String, Object> arguments = pending != null ? pending.arguments() : arguments(decision);
            try {
                String outcome = act(task, decision, arguments, pending);
                Map<String, Object> resumed = pending == null ? Map.of()
                        : Map.of("approval_id", pending.approvalId(), "approved_cu", Cu.format(pending.held()));
                pending = null;
                backoff.reset();
                record(task, seen, decision, outcome, "", resumed);
                if (decision.kind() == Decision.Kind.BUY) {
                    if (outcome.startsWith("settled")) return new Outcome(End.DONE, outcome);
                    // void: no provider served it, so choose again without it; unless the kill switch voided it: then wait it out
                    if (!outcome.startsWith(VOIDED_BY_KILL)) offersOut.add(decision.offer().key());
                }
            } catch (Refusal r) {
                record(task, seen, decision, "refused: " + r.getMessage(), r.code(), r.approvalId().isEmpty() ? Map.of()
                        : Map.of("approval_id", r.approvalId(), "approved_cu", Cu.format(r.held())));
                Reaction reaction = Reaction.to(r.code());
                switch (reaction) {
                    case AWAIT_APPROVAL -> {
                        if (pending == null) pending = new Pending(decision, arguments, r.approvalId(), r.held());
                        if (!pause(backoff, task, "waiting for the operator to approve " + pending.approvalId())) {
                            return stop(task, "approval " + pending.approvalId() + " was not given in time");
                        }
                    }
                    case WAIT -> {
                        if (!pause(backoff, task, r.code())) return stop(task, "refused " + settings.waits() + " times: " + r.code());
                    }
                    case DOWNGRADE, DROP -> {
                        pending = null;
                        if (decision.offer() != null) offersOut.add(decision.offer().key());
                        else kindsOut.add(decision.kind());
                    }
                    case STOP -> {
                        return stop(task, "the node refused with " + r.code() + ": " + r.getMessage());
                    }
                }
            }
        }
        return new Outcome(End.STOPPED, "stopped by its owner");
    }

    private static boolean sideStep(Decision d) {
        return d.kind() == Decision.Kind.LEND || d.kind() == Decision.Kind.BORROW;
    }

    private Outcome stop(Task task, String why) {
        journal.write(clock.millis(), task.id(), Map.of("decided", "stop", "why", why));
        return new Outcome(End.STOPPED, why);
    }

    /** Sleeps the next backoff pause; false once every pause is used. */
    private boolean pause(Backoff backoff, Task task, String why) throws InterruptedException {
        long millis = backoff.next();
        if (millis < 0) return false;
        status.waiting(why);
        Thread.sleep(millis);
        return true;
    }

    private static Map<String, Object> arguments(Decision d) {
        return switch (d.kind()) {
            case BORROW -> Map.of("amount_cu", Cu.format(d.amount()), "term_days", d.termDays(), "collateral_cu", Cu.format(d.collateral()));
            // In full: no amount, so the node takes what is owed when the payment lands (interest runs by the millisecond).
            case REPAY -> d.inFull() ? Map.of("loan_id", d.loanId()) : Map.of("loan_id", d.loanId(), "amount_cu", Cu.format(d.amount()));
            case LEND -> Map.of("amount_cu", Cu.format(d.amount()));
            case MOVE -> Map.of("amount_cu", Cu.format(d.amount()), "from", d.fromKey() > 0 ? "key" : "account");
            default -> Map.of();
        };
    }

    /** Carries the decision out; the outcome in a few words, or the node's refusal. */
    private String act(Task task, Decision d, Map<String, Object> arguments, Pending pending) throws InterruptedException {
        Map<String, Object> args = new LinkedHashMap<>(arguments);
        if (pending != null) args.put("approval_id", pending.approvalId());
        return switch (d.kind()) {
            case BUY -> buy(task, d);
            case BORROW -> {
                JsonNode loan = node.call("borrow", args);
                guard.carriedOut(d, d.amount());
                // At 100% collateral or more a loan brings nothing beyond what it locks: nothing to move.
                unmoved = Math.max(0, d.proceeds());
                yield "borrowed " + loan.path("principal_cu").asText() + " CU as " + loan.path("loan_id").asText() + ", due "
                        + loan.path("due_at").asLong() + "; " + (unmoved > 0 ? fund() : "nothing beyond its collateral to move");
            }
            case REPAY -> {
                if (d.fromKey() > 0 && pending == null) { // a retry with an approval id: the earnings moved the first time
                    move("key", d.fromKey());
                    wallet.movedOut(d.fromKey());
                }
                JsonNode loan = node.call("repay", args);
                long paid = Cu.parse(loan.path("paid_cu").asText("0"));
                repaid += paid;
                guard.carriedOut(d, paid);
                yield (d.fromKey() > 0 ? "moved " + Cu.format(d.fromKey()) + " CU of earnings from the key account; " : "")
                        + "repaid " + Cu.format(paid) + " CU of " + d.loanId() + ", now " + loan.path("status").asText();
            }
            case MOVE -> {
                node.call("move_funds", args);
                if (d.fromKey() > 0) wallet.movedOut(d.amount());
                else wallet.movedIn(d.amount());
                guard.carriedOut(d, d.amount());
                yield "moved " + Cu.format(d.amount()) + " CU " + (d.fromKey() > 0 ? "from the key account to the agent account"
                        : "to the key account");
            }
            case LEND -> {
                JsonNode deposit = node.call("lend", args);
                guard.carriedOut(d, d.amount());
                lent += d.amount();
                yield "lent " + deposit.path("deposited_cu").asText() + " CU, " + deposit.path("in_pool_cu").asText() + " CU in the pool";
            }
            default -> throw new IllegalStateException(d.kind() + " is not an action");
        };
    }

    /**
     * Moves a loan's proceeds beyond its collateral to the key account, which pays for orders
     * ({@code move_funds from=account}); a refused move is retried before the next step.
     */
    private String fund() {
        long amount = unmoved;
        try {
            move("account", amount);
        } catch (Refusal r) {
            return "moving " + Cu.format(amount) + " CU to the key account was refused (" + r.code() + "), retried next step";
        }
        unmoved = 0;
        wallet.movedIn(amount);
        return "moved " + Cu.format(amount) + " CU to the key account";
    }

    private JsonNode move(String from, long amount) {
        return node.call("move_funds", Map.of("amount_cu", Cu.format(amount), "from", from));
    }

    /** The start of a bought order's outcome when the node voided it for the kill switch (the offer is not ruled out). */
    static final String VOIDED_BY_KILL = "void: the kill switch voided order ";

    /** Whether the node's kill switch is pulled now; a node that cannot say counts as not. */
    private boolean killSwitchOn() {
        try {
            return node.call("safety", Map.of()).path("kill_switch").path("active").asBoolean(false);
        } catch (Refusal r) {
            return false;
        }
    }

    /**
     * Another node's offer: the agent's node buys it as a chat, paid from the agent account; the agent then moves what it
     * cost from its key account, which holds its means, so that it pays as for an order it signs.
     */
    private String buyRemote(Task task, Decision d) {
        JsonNode chat = node.call("chat", Map.of("model", d.offer().model(), "prompt", task.prompt(), "max_tokens", task.maxTokens()));
        guard.carriedOut(d, d.amount());
        long paid = Cu.parse(chat.path("cost_cu").asText());
        String moved;
        try {
            move("key", paid);
            wallet.movedOut(paid);
            moved = "moved its cost from the key account";
        } catch (Refusal r) {
            moved = "its cost stayed on the agent account (" + r.code() + ")";
        }
        String text = chat.path("text").asText("");
        return "settled: chat " + chat.path("trade_id").asLong() + " served by " + chat.path("served_by").asText("this node")
                + ", paid " + Cu.format(paid) + " CU, " + moved + ": «" + text.substring(0, Math.min(60, text.length()))
                .replaceAll("\\s+", " ") + "»";
    }

    /** Signs and submits the order, then follows it until it is settled or void. */
    private String buy(Task task, Decision d) throws InterruptedException {
        if (d.offer().remote()) return buyRemote(task, d);
        var signed = signer.sign(task, d.offer(), d.amount(), clock.millis(), settings.orderMillis());
        var base64 = Base64.getEncoder();
        JsonNode submitted = node.call("submit_order", Map.of("order", base64.encodeToString(signed.order().encode()),
                "input", base64.encodeToString(signed.input())));
        long id = submitted.path("order_id").asLong();
        wallet.held(id, Cu.parse(submitted.path("held_cu").asText()));
        guard.carriedOut(d, d.amount());
        long deadline = signed.order().order().expiresAt() + 5_000;
        while (clock.millis() < deadline) {
            JsonNode state;
            try {
                state = node.call("order_status", Map.of("order_id", id));
            } catch (Refusal r) {
                if (!r.code().equals(Refusal.UNREACHABLE)) throw r;
                Thread.sleep(settings.pollMillis());
                continue;
            }
            switch (state.path("state").asText()) {
                case "settled" -> {
                    if (!state.hasNonNull("paid_cu")) { // the node shows it settled a moment before its attestation is stored
                        Thread.sleep(settings.pollMillis());
                        continue;
                    }
                    long paid = Cu.parse(state.path("paid_cu").asText());
                    wallet.settled(id, paid);
                    String text = new String(Base64.getDecoder().decode(state.path("output").asText("")), StandardCharsets.UTF_8);
                    return "settled: order " + id + " served by " + state.path("provider").asText() + ", paid " + Cu.format(paid)
                            + " CU: «" + text.substring(0, Math.min(60, text.length())).replaceAll("\\s+", " ") + "»";
                }
                case "void" -> {
                    wallet.voided(id);
                    if (killSwitchOn()) return VOIDED_BY_KILL + id + ", its hold released";
                    return "void: order " + id + " expired unserved, its hold released";
                }
                default -> Thread.sleep(settings.pollMillis());
            }
        }
        return "void: order " + id + " not settled by its expiry";
    }

    /** @param approval the approval id and the amount it covers, when the node held the call or it was resumed with one */
    private void record(Task task, Snapshot seen, Decision d, String outcome, String code, Map<String, Object> approval) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("saw", saw(seen));
        fields.put("decided", d.kind().name().toLowerCase(Locale.ROOT));
        if (d.amount() > 0) fields.put("amount_cu", Cu.format(d.amount()));
        if (d.collateral() > 0) fields.put("collateral_cu", Cu.format(d.collateral()));
        if (d.kind() == Decision.Kind.MOVE) fields.put("from", d.fromKey() > 0 ? "key" : "account");
        else if (d.fromKey() > 0) fields.put("from_key_cu", Cu.format(d.fromKey()));
        if (d.kind() == Decision.Kind.REPAY && d.inFull()) fields.put("in_full", true);
        if (d.offer() != null) fields.put("offer", d.offer().provider() + " " + d.offer().model() + " ("
                + d.offer().tier().name().toLowerCase(Locale.ROOT) + ", " + Cu.format(d.offer().pricePerKiloToken()) + " CU/1k)");
        if (!d.loanId().isEmpty()) fields.put("loan", d.loanId());
        fields.put("why", d.reason());
        fields.put("outcome", outcome);
        if (!code.isEmpty()) fields.put("code", code);
        fields.putAll(approval);
        journal.write(clock.millis(), task.id(), fields);
    }

    private Map<String, Object> saw(Snapshot s) {
        Map<String, Object> saw = new LinkedHashMap<>();
        saw.put("available_cu", Cu.format(s.available()));
        saw.put("spendable_cu", Cu.format(s.spendable()));
        saw.put("earned_cu", Cu.format(s.earned()));
        saw.put("credit", s.creditScore());
        saw.put("may_borrow", s.mayBorrow());
        saw.put("pool_cash_cu", Cu.format(s.poolCash()));
        saw.put("collateral_percent", s.collateralPercent());
        saw.put("loans_owed_cu", Cu.format(s.activeLoans().stream().mapToLong(Loan::owed).sum()));
        saw.put("offers", s.offers().size());
        saw.put("tier_prices", observer.tierPrices());
        saw.put("kill_switch", s.killSwitch());
        return saw;
    }

    @Override
    public void close() {
        node.close();
        journal.close();
    }
}
