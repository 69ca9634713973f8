package dev.forge.policies;

import dev.forge.economy.ledger.HoldStatus;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerError;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.ledger.Transfer;
import dev.forge.economy.ledger.TransferRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one gate every spend passes: kill switch → budget → velocity → circuit breaker →
 * approval, the first "no" wins, and every decision is audited with its reason.
 *
 * <p>An allowed spend leaves with its money held in the ledger; a held one too, waiting for a
 * human. The hold is what makes limits race-free: budget is reserved under the agent's lock
 * in the same step as the checks, and the ledger refuses to hold what the agent lacks.
 *
 * <p>Fail-safe: a check that cannot decide (store failed, clock missing, anything unexpected)
 * refuses with {@code policy_unavailable}.
 */
public final class SpendPipeline implements AutoCloseable {
    private final Ledger ledger;
    private final SafetyStore store;
    private final AuditLog audit;
    private final KillSwitch killSwitch;
    private final BudgetBook budgets;
    private final ApprovalBook approvals;
    private final InferenceBreakers breakers;
    private final PipelineConfig config;
    /** Spends not yet settled or cancelled, by their ledger hold. */
    private final Map<Long, Spend> active = new ConcurrentHashMap<>();
    private final Map<String, Spend> byApproval = new ConcurrentHashMap<>();
    private final AtomicLong spendIds = new AtomicLong();
    private final ScheduledExecutorService ticker;

    private SpendPipeline(Ledger ledger, SafetyStore store, PipelineConfig config) {
        this.ledger = ledger;
        this.store = store;
        this.config = config;
        this.audit = new AuditLog(store);
        this.killSwitch = new KillSwitch(store);
        this.budgets = new BudgetBook(store);
        this.approvals = new ApprovalBook(store);
        this.breakers = new InferenceBreakers(config.breakers(), config.modelFault());
        budgets.restoreFrom(ledger, config.clock().millis());
        restorePendingApprovals();
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("forge-safety-ticker").daemon(true).factory());
        ticker.scheduleWithFixedDelay(this::expireApprovalsQuietly, 1, 1, TimeUnit.SECONDS);
    }

    /** Opens the safety state in {@code directory} (its own file beside the ledger). */
    public static SpendPipeline open(Path directory, Ledger ledger, PipelineConfig config) {
        SafetyStore store = SafetyStore.open(directory);
        try {
            return new SpendPipeline(ledger, store, config);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    // ---- spending ----

    /** Decides on a spend and, unless refused, holds its money in the ledger, on the agent's account. */
    public Decision begin(Actor actor, SpendRequest request) {
        return begin(actor, request, request.agent());
    }

    /**
     * As {@link #begin(Actor, SpendRequest)}, with the money held on {@code payer}, another account
     * of the same agent (its registered key's): the agent's budget, velocity and approval still decide.
     * The caller vouches that {@code payer} is the agent's; the actor's authority is checked as ever.
     */
    public Decision begin(Actor actor, SpendRequest request, String payer) {
        long now;
        AgentWindow.Charge charge;
        boolean needsApproval;
        try {
            now = now();
            PolicyException.require(actor.mayActFor(request.agent()), Refusal.UNAUTHORIZED,
                    actor.id() + " may not spend for " + request.agent());
            PolicyException.require(dev.forge.economy.ledger.AccountSpec.validId(payer) && !payer.equals(request.payee()),
                    Refusal.INVALID_ARGUMENT, "the paying account is invalid or is the payee");
            BudgetPolicy policy = budgets.policyFor(request.agent());
            charge = check(request, policy, now);
            needsApproval = request.amount() > policy.approvalThreshold();
        } catch (PolicyException refusal) {
            return refuse(actor, request, refusal.refusal(), refusal.getMessage());
        } catch (RuntimeException unsure) {
            return refuse(actor, request, Refusal.POLICY_UNAVAILABLE, "a safety check could not decide: " + unsure);
        }
        return hold(actor, request, payer, charge, needsApproval, now);
    }

    /** The checks, in order, and the budget reservation, atomically for the agent. Touches no disk. */
    private AgentWindow.Charge check(SpendRequest request, BudgetPolicy policy, long now) {
        PolicyException.require(store.healthy(), Refusal.POLICY_UNAVAILABLE, "the safety store is unavailable");
        PolicyException.require(audit.accepting(), Refusal.POLICY_UNAVAILABLE, "the audit log cannot record decisions");
        PolicyException.require(!killSwitch.active(), Refusal.KILL_SWITCH,
                "spending is frozen by the kill switch; " + killSwitch.state().quoted());
        PolicyException.require(request.amount() <= policy.maxPerRequest(), Refusal.BUDGET_REQUEST,
                "this spend of " + cu(request.amount()) + " CU is above the per-request limit of " + cu(policy.maxPerRequest()));
        AgentWindow window = budgets.window(request.agent());
        synchronized (window) {
            long hour = window.spentInHour(now);
            PolicyException.require(hour + request.amount() <= policy.maxPerHour(), Refusal.BUDGET_HOUR,
                    "the last hour's spending (" + cu(hour) + " CU) plus this would pass the hourly limit of "
                            + cu(policy.maxPerHour()) + " CU");
            PolicyException.require(window.spentInLifetime() + request.amount() <= policy.maxLifetime(),
                    Refusal.BUDGET_LIFETIME, "this would pass the lifetime limit of " + cu(policy.maxLifetime()) + " CU");
            checkVelocity(window, request, now);
            PolicyException.require(!request.infers() || !breakers.refusing(request.model()), Refusal.CIRCUIT_OPEN,
                    "model " + request.model() + " keeps failing; its circuit breaker is open");
            return window.reserve(now, request.amount());
        }
    }

    private void checkVelocity(AgentWindow window, SpendRequest request, long now) {
        VelocityPolicy velocity = config.velocity();
        PolicyException.require(!window.tripped(now), Refusal.VELOCITY,
                "spending too fast: the agent's breaker is tripped until " + window.trippedUntil());
        boolean tooMany = window.spendsInMinute(now) + 1 > velocity.maxSpends();
        boolean tooMuch = window.amountInMinute(now) + request.amount() > velocity.maxAmount();
        if (tooMany || tooMuch) {
            window.trip(now + velocity.coolDownMillis());
            record(now, "pipeline", "velocity_trip", request.agent(), request.amount(), "tripped", "velocity",
                    tooMany ? "more than " + velocity.maxSpends() + " spends in a minute"
                            : "more than " + cu(velocity.maxAmount()) + " CU in a minute");
            throw new PolicyException(Refusal.VELOCITY, "spending too fast; the agent's breaker tripped for "
                    + velocity.coolDownMillis() / 1000 + " s");
        }
    }

    private Decision hold(Actor actor, SpendRequest request, String payer, AgentWindow.Charge charge, boolean needsApproval,
                          long now) {
        long timeout = config.holdTimeoutMillis() + (needsApproval ? config.approvalTimeoutMillis() : 0);
        Transfer hold;
        try {
            hold = ledger.transfer(TransferRequest.hold(request.agent() + ":" + request.key(), payer,
                    request.payee(), request.amount(), timeout, request.action().transferCode()));
        } catch (LedgerException e) {
            release(request.agent(), charge, 0);
            Refusal refusal = e.error() == LedgerError.INSUFFICIENT_FUNDS ? Refusal.INSUFFICIENT_FUNDS : Refusal.INVALID_ARGUMENT;
            return refuse(actor, request, refusal, e.getMessage());
        }
        var spend = new Spend(spendIds.incrementAndGet(), request, charge, hold.id(), "");
        // A reused key gets the old hold back from the ledger: resolved already, or owned by another spend.
        boolean fresh = ledger.holdStatus(hold.id()).orElse(null) == HoldStatus.PENDING
                && active.putIfAbsent(hold.id(), spend) == null;
        if (!fresh) {
            release(request.agent(), charge, 0);
            return refuse(actor, request, Refusal.INVALID_ARGUMENT, "key " + request.key() + " was already used for another spend");
        }
        if (needsApproval) spend = awaitingApproval(spend, now);
        if (killSwitch.active()) cancel(spend, "kill switch");  // pulled while we were holding
        if (spend.isCancelled()) return refuse(actor, request, Refusal.KILL_SWITCH, "spending was frozen by the kill switch");
        String why = needsApproval ? "this spend of " + cu(request.amount()) + " CU is above the approval threshold of "
                + cu(budgets.policyFor(request.agent()).approvalThreshold()) + " CU; approval id " + spend.approvalId()
                : "hold " + hold.id();
        boolean recorded = record(now, actor.id(), request.action().code(), request.agent(), request.amount(),
                needsApproval ? "held" : "allowed", needsApproval ? "approval_required" : "", why);
        if (!recorded) {
            cancel(spend, "the audit log could not record the decision");
            return Decision.refused(Refusal.POLICY_UNAVAILABLE, "the audit log cannot record decisions");
        }
        return needsApproval ? Decision.held(spend, why) : Decision.allowed(spend);
    }

    /** Replaces an active spend by one that waits for a human, with its approval persisted. */
    private Spend awaitingApproval(Spend spend, long now) {
        String approvalId = approvals.create(spend.request(), spend.holdId(), now, config.approvalTimeoutMillis()).id();
        var waiting = new Spend(spend.id(), spend.request(), spend.charge(), spend.holdId(), approvalId);
        active.put(spend.holdId(), waiting);
        byApproval.put(approvalId, waiting);
        return waiting;
    }

    /** Pays for inference: settles the trade on the spend's hold and records the real cost. */
    public Trade settle(Actor actor, Spend spend, SignedTrade trade) {
        requireUsable(actor, spend);
        try {
            Trade settled = ledger.settle(trade, spend.holdId());
            finish(spend, settled.amount(), "settled trade " + settled.id());
            return settled;
        } catch (LedgerException e) {
            spend.move(Spend.Status.SETTLING, Spend.Status.ACTIVE);
            if (e.error() == LedgerError.PENDING_TRANSFER_ALREADY_VOIDED) cancel(spend, "hold was voided");
            throw e;
        }
    }

    /** Pays a spend that is not a trade (a loan deposit, a repayment) with at most its hold. */
    public Transfer post(Actor actor, Spend spend, long amount) {
        requireUsable(actor, spend);
        try {
            Transfer posted = ledger.transfer(TransferRequest.post("post:" + spend.holdId(), spend.holdId(), amount));
            finish(spend, amount, "posted " + posted.id());
            return posted;
        } catch (LedgerException e) {
            spend.move(Spend.Status.SETTLING, Spend.Status.ACTIVE);
            throw e;
        }
    }

    /**
     * Completes a spend whose money moves by other ledger transfers (a loan repayment split among
     * lenders, collateral into escrow): releases the hold, runs {@code payment}, and charges
     * {@code cost} to the agent's budget. If the payment fails, the spend is cancelled.
     */
    public <T> T complete(Actor actor, Spend spend, long cost, java.util.function.Supplier<T> payment) {
        requireUsable(actor, spend);
        try {
            ledger.transfer(TransferRequest.voidHold("void:" + spend.holdId(), spend.holdId()));
        } catch (LedgerException e) {
            spend.move(Spend.Status.SETTLING, Spend.Status.ACTIVE);
            cancel(spend, "hold could not be released: " + e.getMessage());
            throw e;
        }
        return pay(spend, cost, payment);
    }

    /**
     * Completes a spend whose hold the ledger already turned into another in one step (a chat's
     * work order: {@code Ledger.acceptOrderOnHold}): runs {@code payment}, which resolves that
     * other hold, and charges {@code cost}, the real cost, to the agent's budget and velocity.
     * Refused, with nothing run, once the spend was cancelled (by the kill switch); if the payment
     * fails, the spend is cancelled.
     */
    public <T> T completeMoved(Actor actor, Spend spend, long cost, java.util.function.Supplier<T> payment) {
        requireUsable(actor, spend);
        return pay(spend, cost, payment);
    }

    /** Runs a usable spend's payment and charges its cost; a payment that fails cancels the spend. */
    private <T> T pay(Spend spend, long cost, java.util.function.Supplier<T> payment) {
        T result;
        try {
            result = payment.get();
        } catch (RuntimeException e) {
            spend.move(Spend.Status.SETTLING, Spend.Status.ACTIVE);
            cancel(spend, "payment failed: " + e.getMessage());
            throw e;
        }
        finish(spend, cost, "paid by its own transfers");
        return result;
    }

    private void requireUsable(Actor actor, Spend spend) {
        PolicyException.require(actor.mayActFor(spend.request().agent()), Refusal.UNAUTHORIZED,
                actor.id() + " may not settle a spend of " + spend.request().agent());
        PolicyException.require(spend.status() != Spend.Status.AWAITING_APPROVAL, Refusal.APPROVAL_REQUIRED,
                "this spend waits for approval " + spend.approvalId());
        PolicyException.require(spend.status() != Spend.Status.CANCELLED,
                killSwitch.active() ? Refusal.KILL_SWITCH : Refusal.APPROVAL_DENIED,
                "this spend was cancelled: " + spend.cancelReason());
        PolicyException.require(spend.move(Spend.Status.ACTIVE, Spend.Status.SETTLING), Refusal.INVALID_ARGUMENT,
                "this spend is already " + spend.status().name().toLowerCase());
    }

    private void finish(Spend spend, long cost, String what) {
        spend.move(Spend.Status.SETTLING, Spend.Status.SETTLED);
        release(spend.request().agent(), spend.charge(), cost);
        active.remove(spend.holdId());
        record(nowOrZero(), spend.request().agent(), "settle", spend.request().agent(), cost, "settled", "", what);
    }

    /** Gives up a spend: voids its hold, returns its budget, tells its listeners to stop. */
    public void cancel(Actor actor, Spend spend, String reason) {
        PolicyException.require(actor.mayActFor(spend.request().agent()), Refusal.UNAUTHORIZED,
                actor.id() + " may not cancel a spend of " + spend.request().agent());
        cancel(spend, reason);
    }

    private void cancel(Spend spend, String reason) {
        if (!spend.cancel(reason)) return;
        try {
            ledger.transfer(TransferRequest.voidHold("void:" + spend.holdId(), spend.holdId()));
        } catch (LedgerException alreadyResolved) {
            // Expired or resolved: either way the money is no longer held.
        }
        release(spend.request().agent(), spend.charge(), 0);
        active.remove(spend.holdId());
        if (!spend.approvalId().isEmpty()) {
            // A held spend voided (by the kill switch) must not stay in the queue as if it could still be approved.
            approvals.cancelled(spend.approvalId(), reason);
            byApproval.remove(spend.approvalId());
        }
        record(nowOrZero(), "pipeline", "cancel", spend.request().agent(), spend.request().amount(), "cancelled", "", reason);
    }

    private void release(String agent, AgentWindow.Charge charge, long cost) {
        if (charge == null) return;
        AgentWindow window = budgets.window(agent);
        synchronized (window) {
            window.settle(charge, Math.min(cost, charge.amount));
        }
    }

    // ---- the kill switch ----

    /** Anyone may pull it: every new spend is refused and every spend in flight is cancelled. */
    public void kill(Actor actor, String reason) {
        KillState.requireValidReason(reason); // a refused kill changes nothing, not even the audit log
        long now = nowOrZero();
        try {
            killSwitch.activate(actor, reason, now);
        } finally {
            record(now, actor.id(), "kill", "", 0, "killed", "", reason);
            for (Spend spend : List.copyOf(active.values())) cancel(spend, "kill switch; " + killSwitch.state().quoted());
        }
    }

    /** Only the operator may release it. */
    public void release(Actor actor, String reason) {
        long now = now();
        try {
            killSwitch.release(actor, reason, now);
            record(now, actor.id(), "release", "", 0, "released", "", reason);
        } catch (PolicyException e) {
            record(now, actor.id(), "release", "", 0, "refused", e.refusal().code(), e.getMessage());
            throw e;
        }
    }

    /**
     * Rebuilds, after a restart, the spending of accounts agents own besides their own (a
     * registered key's account pays its self-signed orders): the node knows their owners only
     * once its work store is open, after this pipeline.
     */
    public void restoreOwnedSpending(java.util.function.Function<String, java.util.Optional<String>> ownerOf) {
        budgets.restoreOwned(ledger, config.clock().millis(), ownerOf);
    }

    public KillState killState() {
        return killSwitch.state();
    }

    // ---- approvals ----

    public void approve(Actor actor, String approvalId, String reason) {
        KillState.requireValidReason(reason); // the same bound as every reason a person types
        operatorDecides(actor, approvalId, Approval.Status.APPROVED, reason);
        Spend spend = byApproval.remove(approvalId);
        if (spend != null) spend.approved();
    }

    public void deny(Actor actor, String approvalId, String reason) {
        KillState.requireValidReason(reason);
        operatorDecides(actor, approvalId, Approval.Status.DENIED, reason);
        Spend spend = byApproval.remove(approvalId);
        if (spend != null) cancel(spend, "denied by " + actor.id() + ": " + reason);
    }

    /**
     * The person at an agent's own client answered the node's question about that agent's held
     * spend. It counts only where the operator marked the agent attended (a person, not the
     * agent, answers its client); otherwise the spend keeps waiting for the operator.
     */
    public void decideAtClient(Actor agent, String approvalId, boolean approved) {
        long now = now();
        String by = "user of " + agent.id() + "'s client";
        try {
            Approval approval = approvals.get(approvalId);
            PolicyException.require(!agent.isOperator() && agent.id().equals(approval.request().agent()), Refusal.UNAUTHORIZED,
                    agent.id() + " may not answer for approval " + approvalId);
            PolicyException.require(budgets.policyFor(agent.id()).attended(), Refusal.UNAUTHORIZED,
                    "the operator has not said a person answers " + agent.id() + "'s client");
            String why = (approved ? "approved by the " : "declined by the ") + by + ", allowed by operator setting";
            decided(now, by, approvalId, approved ? Approval.Status.APPROVED : Approval.Status.DENIED, why);
        } catch (PolicyException e) {
            record(now, by, "approval", agent.id(), 0, "refused", e.refusal().code(), e.getMessage());
            throw e;
        }
        Spend spend = byApproval.remove(approvalId);
        if (spend != null && approved) spend.approved();
        if (spend != null && !approved) cancel(spend, "declined by " + by);
    }

    private void operatorDecides(Actor actor, String approvalId, Approval.Status status, String reason) {
        long now = now();
        try {
            PolicyException.requireOperator(actor, "decide an approval");
            decided(now, actor.id(), approvalId, status, reason);
        } catch (PolicyException e) {
            record(now, actor.id(), "approval", "", 0, "refused", e.refusal().code(), e.getMessage());
            throw e;
        }
    }

    private void decided(long now, String by, String approvalId, Approval.Status status, String reason) {
        Approval decided = approvals.decide(approvalId, status, by, reason);
        record(now, by, "approval", decided.request().agent(), decided.request().amount(),
                status.name().toLowerCase(), "", approvalId + ": " + reason);
    }

    /**
     * Takes up an approved spend to pay for {@code resumed}, once. Refused, with nothing changed,
     * unless the approval covers exactly this request (agent, action, payee, model, arguments'
     * digest, at most the approved amount); of concurrent resumes exactly one gets the spend.
     */
    public Spend resume(Actor actor, String approvalId, SpendRequest resumed) {
        long now = now();
        try {
            PolicyException.require(audit.accepting(), Refusal.POLICY_UNAVAILABLE, "the audit log cannot record decisions");
            Approval approval = approvals.get(approvalId);
            SpendRequest approved = approval.request();
            PolicyException.require(actor.mayActFor(approved.agent()) && resumed.agent().equals(approved.agent()),
                    Refusal.UNAUTHORIZED, "approval " + approvalId + " is not for " + actor.id());
            PolicyException.require(approved.covers(resumed), Refusal.APPROVAL_MISMATCH, "approval " + approvalId
                    + " was given for another request (" + describe(approved) + "); this is " + describe(resumed));
            Spend spend = active.get(approval.holdId());
            PolicyException.require(spend != null || approval.status() != Approval.Status.APPROVED, Refusal.APPROVAL_DENIED,
                    "the spend behind approval " + approvalId + " is no longer held");
            approvals.claim(approvalId);  // refuses every status but approved, and all but one concurrent resume
            PolicyException.require(spend.status() == Spend.Status.ACTIVE, Refusal.APPROVAL_DENIED,
                    "the spend behind approval " + approvalId + " is " + spend.status().name().toLowerCase());
            record(now, actor.id(), approved.action().code(), approved.agent(), approved.amount(), "resumed", "", approvalId);
            return spend;
        } catch (PolicyException e) {
            record(now, actor.id(), resumed.action().code(), resumed.agent(), resumed.amount(), "refused", e.refusal().code(),
                    e.getMessage());
            throw e;
        }
    }

    private static String describe(SpendRequest r) {
        return r.action().code() + (r.model().isEmpty() ? "" : " on " + r.model()) + " to " + r.payee() + ", up to "
                + cu(r.amount()) + " CU";
    }

    /** The spend behind a held approval, for the caller that resumes it after a decision. */
    public Spend spendFor(String approvalId) {
        Spend spend = byApproval.get(approvalId);
        if (spend != null) return spend;
        Approval approval = approvals.get(approvalId);
        Spend approved = active.get(approval.holdId());
        PolicyException.require(approved != null, Refusal.APPROVAL_DENIED,
                "approval " + approvalId + " is " + approval.status().name().toLowerCase());
        return approved;
    }

    public List<Approval> pendingApprovals() {
        return approvals.pending();
    }

    /** Expires approvals past their time; the ticker calls this every second. */
    public int expireApprovals() {
        long now = now();
        int expired = 0;
        for (Approval approval : approvals.pending()) {
            if (approval.expiresAt() > now || !approvals.expire(approval.id())) continue;
            Spend spend = byApproval.remove(approval.id());
            if (spend != null) cancel(spend, "approval expired");
            record(now, "pipeline", "approval", approval.request().agent(), approval.request().amount(), "expired", "",
                    approval.id());
            expired++;
        }
        for (Approval approval : approvals.approvedUnused()) {
            // Approved but never resumed until its hold ran out: give back the budget it reserved.
            Spend spend = active.get(approval.holdId());
            if (spend != null && ledger.holdStatus(approval.holdId()).orElse(null) != HoldStatus.PENDING) {
                cancel(spend, "approved but not used before its hold ended");
            }
        }
        return expired;
    }

    private void expireApprovalsQuietly() {
        try {
            expireApprovals();
        } catch (RuntimeException e) {
            // The store or clock is failing; spends are being refused meanwhile.
        }
    }

    /**
     * A restart keeps pending approvals, and approved ones not yet used: their spends come back
     * (waiting, or ready to resume once), still holding their money.
     */
    private void restorePendingApprovals() {
        for (Approval approval : approvals.pending()) {
            if (ledger.holdStatus(approval.holdId()).orElse(null) != HoldStatus.PENDING) {
                approvals.decide(approval.id(), Approval.Status.EXPIRED, "pipeline", "its hold ended while the node was down");
                continue;
            }
            var spend = new Spend(spendIds.incrementAndGet(), approval.request(), null, approval.holdId(), approval.id());
            active.put(spend.holdId(), spend);
            byApproval.put(approval.id(), spend);
        }
        for (Approval approval : approvals.approvedUnused()) {
            if (ledger.holdStatus(approval.holdId()).orElse(null) != HoldStatus.PENDING) {
                approvals.cancelled(approval.id(), "its hold ended while the node was down");
                continue;
            }
            var spend = new Spend(spendIds.incrementAndGet(), approval.request(), null, approval.holdId(), approval.id());
            spend.approved();
            active.put(spend.holdId(), spend);
        }
    }

    // ---- policies, breakers, state ----

    public void setPolicy(Actor actor, String agent, BudgetPolicy policy) {
        long now = now();
        try {
            PolicyException.requireOperator(actor, "change budgets");
            budgets.setFor(agent, policy);
            record(now, actor.id(), "policy", agent, policy.maxPerHour(), "set", "", policy.toString());
        } catch (PolicyException e) {
            record(now, actor.id(), "policy", agent, 0, "refused", e.refusal().code(), e.getMessage());
            throw e;
        }
    }

    public void setDefaultPolicy(Actor actor, BudgetPolicy policy) {
        PolicyException.requireOperator(actor, "change budgets");
        budgets.setDefaults(policy);
        record(now(), actor.id(), "policy", "*", policy.maxPerHour(), "set", "", policy.toString());
    }

    public BudgetPolicy policyFor(Actor actor, String agent) {
        PolicyException.require(actor.mayActFor(agent), Refusal.UNAUTHORIZED, actor.id() + " may not read " + agent + "'s policy");
        return budgets.policyFor(agent);
    }

    public void resetVelocity(Actor actor, String agent) {
        PolicyException.requireOperator(actor, "reset a velocity breaker");
        AgentWindow window = budgets.window(agent);
        synchronized (window) {
            window.resetVelocity();
        }
        record(now(), actor.id(), "velocity_reset", agent, 0, "reset", "", "by the operator");
    }

    public InferenceBreakers breakers() {
        return breakers;
    }

    public void resetBreaker(Actor actor, String model) {
        breakers.reset(actor, model);
        record(now(), actor.id(), "breaker_reset", "", 0, "reset", "", model);
    }

    /** The node-wide view, for the operator: the kill switch, the default policy, the breakers, every pending approval. */
    public SafetyStatus overview(Actor actor) {
        PolicyException.requireOperator(actor, "see every agent's pending approvals");
        return new SafetyStatus(killSwitch.state(), null, budgets.defaults(), 0, 0, false, 0, breakers.states(),
                approvals.pending());
    }

    public SafetyStatus status(Actor actor, String agent) {
        BudgetPolicy policy = policyFor(actor, agent);
        long now = now();
        AgentWindow window = budgets.window(agent);
        synchronized (window) {
            List<Approval> pending = approvals.pending().stream().filter(a -> a.request().agent().equals(agent)).toList();
            return new SafetyStatus(killSwitch.state(), agent, policy, window.spentInHour(now), window.spentInLifetime(),
                    window.tripped(now), window.trippedUntil(), breakers.states(), pending);
        }
    }

    public AuditLog audit() {
        return audit;
    }

    // ---- plumbing ----

    private Decision refuse(Actor actor, SpendRequest request, Refusal refusal, String reason) {
        record(nowOrZero(), actor.id(), request.action().code(), request.agent(), request.amount(), "refused", refusal.code(), reason);
        return Decision.refused(refusal, reason);
    }

    /**
     * Queues an audit entry; false if the log cannot take it. A spend is let through only if
     * its decision was recorded; refusals and cancellations are safe either way.
     */
    private boolean record(long now, String actor, String action, String agent, long amount, String outcome, String code,
                           String reason) {
        return audit.record(new AuditLog.Event(now, actor, action, agent, amount, outcome, code, reason));
    }

    /** The clock, or a refusal when it is missing or absurd. */
    private long now() {
        long now;
        try {
            now = config.clock().millis();
        } catch (RuntimeException e) {
            throw new PolicyException(Refusal.POLICY_UNAVAILABLE, "the clock is unavailable: " + e.getMessage());
        }
        PolicyException.require(now > 0, Refusal.POLICY_UNAVAILABLE, "the clock reads " + now);
        return now;
    }

    private long nowOrZero() {
        try {
            return now();
        } catch (PolicyException e) {
            return 0;
        }
    }

    static String cu(long micro) {
        return java.math.BigDecimal.valueOf(micro, 6).stripTrailingZeros().toPlainString();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        audit.close();
        store.close();
    }
}
