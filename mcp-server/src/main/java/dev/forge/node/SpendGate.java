package dev.forge.node;

import dev.forge.economy.market.Cu;
import dev.forge.policies.Actor;
import dev.forge.policies.Decision;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendPipeline;
import dev.forge.policies.SpendRequest;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every call that spends, lends or borrows opens its spend here: the safety pipeline decides;
 * a spend above the approval threshold waits for the operator, the caller getting
 * {@code approval_required} and an approval id to call again with. The agent's own client is
 * asked instead (MCP elicitation) only where the operator marked the agent attended: a person,
 * not the agent, answers that client.
 */
public final class SpendGate {
    private final SpendPipeline pipeline;

    public SpendGate(SpendPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * @param approvalId an approved spend to resume with exactly this request, once; or null to begin
     * @param askHuman yes, no, or empty when nobody answered; null when the client cannot be asked
     */
    public Spend open(Actor actor, SpendRequest request, String approvalId, Function<String, Optional<Boolean>> askHuman) {
        return open(actor, request, request.agent(), approvalId, askHuman);
    }

    /**
     * As {@link #open(Actor, SpendRequest, String, Function)}, with the money held on {@code payer},
     * the agent's registered key's account (a self-signed order): the agent's own limits decide.
     */
    public Spend open(Actor actor, SpendRequest request, String payer, String approvalId,
                      Function<String, Optional<Boolean>> askHuman) {
        return approvalId == null ? begin(actor, request, payer, askHuman) : pipeline.resume(actor, approvalId, request);
    }

    private Spend begin(Actor actor, SpendRequest request, String payer, Function<String, Optional<Boolean>> askHuman) {
        Decision decision = pipeline.begin(actor, request, payer);
        return switch (decision.outcome()) {
            case REFUSED -> throw new PolicyException(decision.refusal(), decision.reason());
            case HELD -> held(actor, request, decision.spend().approvalId(), askHuman);
            case ALLOWED -> decision.spend();
        };
    }

    private Spend held(Actor actor, SpendRequest request, String approvalId, Function<String, Optional<Boolean>> askHuman) {
        String what = request.action().code() + (request.model().isEmpty() ? "" : " on " + request.model());
        Optional<Boolean> answer = mayAsk(actor, request, askHuman)
                ? askHuman.apply(request.agent() + " asks to spend up to " + Cu.format(request.amount()) + " CU (" + what
                        + "), above its approval threshold. Approve?")
                : Optional.empty();
        if (answer.isEmpty()) {
            throw new ApprovalRequired(approvalId, request.amount(), "this " + what + " may cost up to "
                    + Cu.format(request.amount()) + " CU, above the approval threshold: ask the operator to approve "
                    + approvalId + ", then call again with approval_id and the same arguments");
        }
        pipeline.decideAtClient(actor, approvalId, answer.get());
        PolicyException.require(answer.get(), Refusal.APPROVAL_DENIED, "the user declined the spend");
        return pipeline.resume(actor, approvalId, request);
    }

    /** Only where the operator said a person answers this agent's client: otherwise the agent would approve itself. */
    private boolean mayAsk(Actor actor, SpendRequest request, Function<String, Optional<Boolean>> askHuman) {
        return askHuman != null && !actor.isOperator() && pipeline.policyFor(actor, request.agent()).attended();
    }
}
