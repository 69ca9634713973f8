package dev.forge.node.mcp;

import static dev.forge.node.mcp.Schema.object;
import static dev.forge.node.mcp.Schema.optional;
import static dev.forge.node.mcp.Schema.required;
import static dev.forge.node.mcp.Schema.string;

import dev.forge.node.ForgeNode;
import dev.forge.policies.Approval;
import dev.forge.policies.KillState;
import dev.forge.policies.SafetyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code kill} and {@code safety}. */
public final class SafetyTools {
    private final ForgeNode node;

    SafetyTools(ForgeNode node) {
        this.node = node;
    }

    List<ForgeTool> tools() {
        return List.of(kill(), safety());
    }

    private ForgeTool kill() {
        return ForgeTool.named("kill").title("Kill switch: freeze all spending").destructive().idempotent()
                .description("Freezes every spend on this node at once and stops chats in progress. Pull it when "
                        + "something is wrong (runaway spending, a compromised agent). Anyone may pull it; only the "
                        + "operator can release it. Costs nothing.")
                .input(object(required("reason", string("what you saw: printable text on one line, at most "
                        + KillState.MAX_REASON + " characters", KillState.MAX_REASON))))
                .output(object(required("active", Schema.bool("spending is frozen")), required("reason", string("why")),
                        required("by", string("who pulled it"))))
                .handler(call -> {
                    node.kill(call.actor(), call.args().string("reason", KillState.MAX_REASON));
                    var state = node.pipeline().killState();
                    return Out.of().put("active", state.active()).put("reason", state.reason()).put("by", state.by()).map();
                });
    }

    private ForgeTool safety() {
        return ForgeTool.named("safety").title("Safety state").readOnly()
                .description("What limits your spending now: the kill switch, your budget policy and what you spent "
                        + "this hour and in total, the velocity limit, the models' circuit breakers, and spends waiting "
                        + "for approval. Free to call; call it when a spend is refused to see why.")
                .input(object(optional("agent", string("whose state (operator only; default: yours)", 64))))
                .output(object(required("kill_switch", Schema.anyObject("the kill switch")),
                        optional("agent", string("the agent")), optional("policy", Schema.anyObject("budget policy")),
                        required("breakers", Schema.anyObject("circuit breaker of each model")),
                        required("audit", Schema.anyObject("whether the audit log records decisions (if not, every spend is refused)")),
                        required("pending_approvals", Schema.array("spends waiting for a human", Schema.anyObject("approval")))))
                .handler(call -> {
                    String agent = call.args().string("agent", 64, call.actor().isOperator() ? null : call.actor().id());
                    SafetyStatus s = agent == null ? node.pipeline().overview(call.actor())
                            : node.pipeline().status(call.actor(), agent);
                    Out out = Out.of().put("kill_switch", Out.of().put("active", s.kill().active())
                            .put("reason", s.kill().reason()).put("by", s.kill().by()).map());
                    if (s.agent() != null) {
                        out.put("agent", s.agent()).put("policy", Out.of().cu("max_per_request_cu", s.policy().maxPerRequest())
                                .cu("max_per_hour_cu", s.policy().maxPerHour()).cu("max_lifetime_cu", s.policy().maxLifetime())
                                .cu("approval_threshold_cu", s.policy().approvalThreshold())
                                .put("attended", s.policy().attended()).map())
                                .cu("spent_last_hour_cu", s.spentLastHour()).cu("spent_lifetime_cu", s.spentLifetime())
                                .put("velocity_tripped", s.velocityTripped());
                    }
                    Map<String, Object> breakers = new java.util.TreeMap<>();
                    s.breakers().forEach((model, state) -> breakers.put(model, state.name().toLowerCase(Locale.ROOT)));
                    List<Map<String, Object>> approvals = new ArrayList<>();
                    for (Approval a : s.pendingApprovals()) approvals.add(approval(a));
                    return out.put("breakers", breakers).put("audit", audit()).put("pending_approvals", approvals).map();
                });
    }

    private Map<String, Object> audit() {
        var log = node.pipeline().audit();
        Out out = Out.of().put("recording", log.accepting()).put("entries", log.size());
        log.problem().ifPresent(problem -> out.put("problem", problem));
        return out.map();
    }

    /** An approval as every surface shows it (the safety tool, the operator's REST queue). */
    public static Map<String, Object> approval(Approval a) {
        return Out.of().put("approval_id", a.id()).put("agent", a.request().agent()).put("action", a.request().action().code())
                .put("model", a.request().model()).cu("amount_cu", a.request().amount())
                .put("status", a.status().name().toLowerCase(Locale.ROOT)).put("expires_at", a.expiresAt()).map();
    }
}
