package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.inference.InferenceEngine;
import dev.forge.node.ForgeNode;
import dev.forge.node.Identities;
import dev.forge.node.work.RegisteredKey;
import dev.forge.policies.Actor;
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

/**
 * The operator's powers over a running node: new agents, tokens, the right to pull the kill
 * switch, approvals, velocity trips and circuit breakers. Each takes effect at once and is kept
 * on disk; each is refused with {@code unauthorized} to anyone but the operator.
 */
public final class OperatorService {
    private final Ledger ledger;
    private final Identities identities;
    private final SpendPipeline pipeline;
    private final InferenceEngine engine;

    public OperatorService(Ledger ledger, Identities identities, SpendPipeline pipeline, InferenceEngine engine) {
        this.ledger = ledger;
        this.identities = identities;
        this.pipeline = pipeline;
        this.engine = engine;
    }

    // ---- agents ----

    public record AccountRequest(
            @Size(min = 1, max = AccountSpec.MAX_ID_LENGTH)
            @JsonPropertyDescription("the new agent's id: A-Z a-z 0-9 . _ : -, not starting with '.', not a system name")
            String id) {
    }

    public record NewAccount(
            @JsonPropertyDescription("the new agent's account id") String account,
            @JsonPropertyDescription("its API token, shown this once") String token,
            @JsonPropertyDescription("its balance: the free tier") Amount balanceCu) {
    }

    /** An agent account (with the free tier) and its key and token, or nothing at all if any part is refused. */
    public NewAccount createAccount(Actor actor, AccountRequest request) {
        requireOperator(actor, "create accounts");
        String token = createAgent(request.id());
        return new NewAccount(request.id(), token, Amount.of(ledger.account(request.id()).orElseThrow().balance()));
    }

    /**
     * Creates an agent account (with the free tier) and its key; returns its API token. A create
     * that fails leaves no key, no token and no account behind.
     */
    public synchronized String createAgent(String id) {
        if (!agentId(id)) {
            throw new IllegalArgumentException("an agent id is 1-64 characters of A-Z a-z 0-9 . _ : -, does not start "
                    + "with '.', and is not a system name");
        }
        if (ledger.account(id).isPresent()) throw new IllegalArgumentException("account " + id + " already exists");
        String token = identities.createAgent(id);
        try {
            ledger.openAccount(AccountSpec.agent(id, identities.agentKey(id).orElseThrow().publicKey()));
        } catch (RuntimeException e) {
            identities.forgetAgent(id);
            throw e;
        }
        return token;
    }

    private static boolean agentId(String id) {
        return AccountSpec.validId(id) && !id.equals(ForgeNode.PROVIDER) && !id.equals(ForgeNode.ESCROW)
                && !id.startsWith("pool:") && !id.startsWith("escrow:") && !id.startsWith(RegisteredKey.ACCOUNT_PREFIX);
    }

    public record AgentView(
            @JsonPropertyDescription("the agent") String agent,
            @JsonPropertyDescription("its token was revoked: every request with it gets 401") boolean revoked,
            @JsonPropertyDescription("it may pull the kill switch") boolean mayKill,
            @Nullable @JsonPropertyDescription("its new token, shown this once (only when one was issued)") String token) {
    }

    public List<AgentView> agents(Actor actor) {
        requireOperator(actor, "see the agents");
        return identities.agents().stream().map(agent -> view(agent, null)).toList();
    }

    /** Ends the agent's token: its next request on any surface (MCP sessions included) gets 401. */
    public AgentView revoke(Actor actor, String agent) {
        requireOperator(actor, "revoke a token");
        identities.revoke(agent);
        return view(agent, null);
    }

    /** A new token for the agent (shown this once); the old one stops working. */
    public AgentView rotate(Actor actor, String agent) {
        requireOperator(actor, "issue a token");
        return view(agent, identities.rotate(agent));
    }

    public record KillRightRequest(@JsonPropertyDescription("whether the agent may pull the kill switch") boolean mayKill) {
    }

    public AgentView setKillRight(Actor actor, String agent, KillRightRequest request) {
        requireOperator(actor, "give or take the right to pull the kill switch");
        identities.setMayKill(agent, request.mayKill());
        return view(agent, null);
    }

    private AgentView view(String agent, String token) {
        return new AgentView(agent, identities.isRevoked(agent), identities.mayKill(Actor.agent(agent)), token);
    }

    // ---- approvals ----

    public List<SafetyService.ApprovalView> approvals(Actor actor) {
        requireOperator(actor, "see the approval queue");
        return pipeline.pendingApprovals().stream().map(SafetyService.ApprovalView::of).toList();
    }

    /** A person's words on a decision; absent, the call's own default stands. */
    public record Reason(
            @Nullable @Size(min = 1, max = KillState.MAX_REASON)
            @JsonPropertyDescription("why: printable text on one line, at most " + KillState.MAX_REASON + " characters")
            String reason) {
        public String or(String fallback) {
            return reason == null ? fallback : reason;
        }
    }

    public record Decision(
            @JsonPropertyDescription("the approval") String approvalId,
            @JsonPropertyDescription("approved or denied") String status) {
    }

    public Decision approve(Actor actor, String approvalId, Reason reason) {
        pipeline.approve(actor, approvalId, reason.or("approved"));
        return new Decision(approvalId, "approved");
    }

    public Decision deny(Actor actor, String approvalId, Reason reason) {
        pipeline.deny(actor, approvalId, reason.or("denied"));
        return new Decision(approvalId, "denied");
    }

    // ---- velocity trips and circuit breakers ----

    public record VelocityReset(
            @JsonPropertyDescription("the agent") String agent,
            @JsonPropertyDescription("always false: it may spend again") boolean velocityTripped) {
    }

    public VelocityReset resetVelocity(Actor actor, String agent) {
        requireOperator(actor, "reset a velocity trip");
        if (identities.agentKey(agent).isEmpty()) throw new IllegalArgumentException("no agent " + agent);
        pipeline.resetVelocity(actor, agent);
        return new VelocityReset(agent, false);
    }

    public record BreakerReset(
            @JsonPropertyDescription("the model") String model,
            @JsonPropertyDescription("its breaker now: closed, open or half_open") String breaker) {
    }

    public BreakerReset resetBreaker(Actor actor, String model) {
        requireOperator(actor, "reset a circuit breaker");
        engine.slot(model); // refuses a model this node does not serve
        pipeline.resetBreaker(actor, model);
        return new BreakerReset(model, breaker(pipeline.breakers().state(model)));
    }

    // ---- the node's safety at a glance ----

    public record Tripped(
            @JsonPropertyDescription("the agent") String agent,
            @JsonPropertyDescription("when its cool-down ends, ms since the epoch") long trippedUntil) {
    }

    public record SafetyOverview(
            @JsonPropertyDescription("the kill switch") SafetyService.KillView killSwitch,
            @JsonPropertyDescription("each model's circuit breaker: closed, open or half_open") Map<String, String> breakers,
            @JsonPropertyDescription("the agents whose velocity is tripped") List<Tripped> velocityTripped,
            @JsonPropertyDescription("how many spends wait for a human") int pendingApprovals) {
    }

    public SafetyOverview overview(Actor actor) {
        requireOperator(actor, "see the safety overview");
        Map<String, String> breakers = new TreeMap<>();
        pipeline.breakers().states().forEach((model, state) -> breakers.put(model, breaker(state)));
        List<Tripped> tripped = identities.agents().stream().map(agent -> pipeline.status(actor, agent))
                .filter(SafetyStatus::velocityTripped).map(s -> new Tripped(s.agent(), s.velocityTrippedUntil())).toList();
        return new SafetyOverview(SafetyService.KillView.of(pipeline.killState()), breakers, tripped,
                pipeline.pendingApprovals().size());
    }

    private static String breaker(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static void requireOperator(Actor actor, String what) {
        PolicyException.require(actor.isOperator(), Refusal.UNAUTHORIZED, "only the operator may " + what);
    }
}
