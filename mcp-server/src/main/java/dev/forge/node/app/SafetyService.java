package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.node.Identities;
import dev.forge.policies.Actor;
import dev.forge.policies.Approval;
import dev.forge.policies.BudgetPolicy;
import dev.forge.policies.KillState;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.SafetyStatus;
import dev.forge.policies.SpendPipeline;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The kill switch, budget policies, and what limits an agent's spending now. */
public final class SafetyService {
    private final SpendPipeline pipeline;
    private final Identities identities;
    private final Runnable voidOrdersInFlight;

    /** @param voidOrdersInFlight run once the kill switch is pulled: the work orders in flight are voided, as chats are */
    public SafetyService(SpendPipeline pipeline, Identities identities, Runnable voidOrdersInFlight) {
        this.pipeline = pipeline;
        this.identities = identities;
        this.voidOrdersInFlight = voidOrdersInFlight;
    }

    // ---- the kill switch ----

    public record KillRequest(
            @Size(min = 1, max = KillState.MAX_REASON)
            @JsonPropertyDescription("what you saw: printable text on one line, at most " + KillState.MAX_REASON + " characters")
            String reason) {
    }

    public record KillView(
            @JsonPropertyDescription("spending is frozen") boolean active,
            @JsonPropertyDescription("why") String reason,
            @JsonPropertyDescription("who pulled it") String by,
            @JsonPropertyDescription("when it was last pulled or released, by the node's clock, ms since the epoch (0: never)") long at) {
        static KillView of(KillState k) {
            return new KillView(k.active(), k.reason(), k.by(), k.at());
        }
    }

    /** For whoever still has the right to pull it (the operator can take it from an agent). */
    public KillView kill(Actor actor, KillRequest request) {
        PolicyException.require(identities.mayKill(actor), Refusal.UNAUTHORIZED,
                "the operator has taken " + actor.id() + "'s right to pull the kill switch");
        pipeline.kill(actor, request.reason());
        voidOrdersInFlight.run();
        return KillView.of(pipeline.killState());
    }

    public KillView release(Actor actor, String reason) {
        pipeline.release(actor, reason);
        return KillView.of(pipeline.killState());
    }

    // ---- the state of safety ----

    public record SafetyRequest(
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("whose state (operator only; default: yours)") String agent) {
    }

    public record PolicyView(
            @JsonPropertyDescription("the most one spend may cost") Amount maxPerRequestCu,
            @JsonPropertyDescription("the most spent in any hour") Amount maxPerHourCu,
            @JsonPropertyDescription("the most spent ever") Amount maxLifetimeCu,
            @JsonPropertyDescription("spends above this wait for a human") Amount approvalThresholdCu,
            @JsonPropertyDescription("a person, not the agent, answers the agent's client") boolean attended) {
    }

    public record AuditView(
            @JsonPropertyDescription("whether decisions are recorded (if not, every spend is refused)") boolean recording,
            @JsonPropertyDescription("decisions recorded") long entries,
            @Nullable @JsonPropertyDescription("why recording stopped, when it did") String problem) {
    }

    public record ApprovalView(
            @JsonPropertyDescription("the approval") String approvalId,
            @JsonPropertyDescription("who asks to spend") String agent,
            @JsonPropertyDescription("chat, lend, borrow or repay") String action,
            @JsonPropertyDescription("the model, or empty") String model,
            @JsonPropertyDescription("the most it may cost") Amount amountCu,
            @JsonPropertyDescription("pending, approved, denied, used or expired") String status,
            @JsonPropertyDescription("when it expires, ms since the epoch") long expiresAt) {
        public static ApprovalView of(Approval a) {
            return new ApprovalView(a.id(), a.request().agent(), a.request().action().code(), a.request().model(),
                    Amount.of(a.request().amount()), a.status().name().toLowerCase(Locale.ROOT), a.expiresAt());
        }
    }

    public record Safety(
            @JsonPropertyDescription("the kill switch") KillView killSwitch,
            @Nullable @JsonPropertyDescription("the agent") String agent,
            @Nullable @JsonPropertyDescription("its budget policy") PolicyView policy,
            @Nullable @JsonPropertyDescription("spent in the last hour") Amount spentLastHourCu,
            @Nullable @JsonPropertyDescription("spent ever") Amount spentLifetimeCu,
            @Nullable @JsonPropertyDescription("spending paused for spending too fast") Boolean velocityTripped,
            @JsonPropertyDescription("each model's circuit breaker: closed, open or half_open") Map<String, String> breakers,
            @JsonPropertyDescription("whether the audit log records decisions") AuditView audit,
            @JsonPropertyDescription("spends waiting for a human") List<ApprovalView> pendingApprovals) {
    }

    public Safety safety(Actor actor, SafetyRequest request) {
        String agent = request.agent() != null ? request.agent() : actor.isOperator() ? null : actor.id();
        SafetyStatus s = agent == null ? pipeline.overview(actor) : pipeline.status(actor, agent);
        Map<String, String> breakers = new TreeMap<>();
        s.breakers().forEach((model, state) -> breakers.put(model, state.name().toLowerCase(Locale.ROOT)));
        List<ApprovalView> approvals = s.pendingApprovals().stream().map(ApprovalView::of).toList();
        var log = pipeline.audit();
        var audit = new AuditView(log.accepting(), log.size(), log.problem().orElse(null));
        if (s.agent() == null) return new Safety(KillView.of(s.kill()), null, null, null, null, null, breakers, audit, approvals);
        var p = s.policy();
        var policy = new PolicyView(Amount.of(p.maxPerRequest()), Amount.of(p.maxPerHour()), Amount.of(p.maxLifetime()),
                Amount.of(p.approvalThreshold()), p.attended());
        return new Safety(KillView.of(s.kill()), s.agent(), policy, Amount.of(s.spentLastHour()), Amount.of(s.spentLifetime()),
                s.velocityTripped(), breakers, audit, approvals);
    }

    // ---- budget policies ----

    public record PolicyRequest(
            @Size(min = 1, max = 64) @JsonPropertyDescription("the agent") String agent,
            @JsonPropertyDescription("the most one spend may cost") Amount maxPerRequestCu,
            @JsonPropertyDescription("the most spent in any hour") Amount maxPerHourCu,
            @JsonPropertyDescription("the most spent ever") Amount maxLifetimeCu,
            @JsonPropertyDescription("spends above this wait for a human") Amount approvalThresholdCu,
            @Nullable @JsonPropertyDescription("a person, not the agent, answers the agent's client (default false)") Boolean attended) {
    }

    /** Sets an agent's budget policy (operator only) and answers its safety state after. */
    public Safety setPolicy(Actor actor, PolicyRequest request) {
        var policy = new BudgetPolicy(request.maxPerRequestCu().micro(), request.maxPerHourCu().micro(),
                request.maxLifetimeCu().micro(), request.approvalThresholdCu().micro(), Boolean.TRUE.equals(request.attended()));
        pipeline.setPolicy(actor, request.agent(), policy);
        return safety(actor, new SafetyRequest(request.agent()));
    }

    public List<ApprovalView> pendingApprovals() {
        return pipeline.pendingApprovals().stream().map(ApprovalView::of).toList();
    }
}
