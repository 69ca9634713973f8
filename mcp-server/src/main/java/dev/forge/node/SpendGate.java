package dev.forge.node;

import dev.forge.economy.market.Cu;
import dev.forge.policies.Actor;
import dev.forge.policies.Decision;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendRequest;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every call that spends, lends or borrows opens its spend here: the safety pipeline decides;
 * a spend above the approval threshold is put to the person behind the client when it can be
 * asked (MCP elicitation), and otherwise waits for the operator, the caller getting
 * {@code approval_required} and an approval id to call again with.
 */
public final class SpendGate {
    private final ForgeNode node;

    public SpendGate(ForgeNode node) {
        this.node = node;
    }

    /**
     * @param approvalId a spend a human already approved, to resume; or null to begin
     * @param askHuman yes, no, or empty when nobody answered; null when nobody can be asked
     */
    public Spend open(Actor actor, SpendRequest request, String approvalId, Function<String, Optional<Boolean>> askHuman) {
        return approvalId == null ? begin(actor, request, askHuman) : approved(actor, approvalId);
    }

    private Spend begin(Actor actor, SpendRequest request, Function<String, Optional<Boolean>> askHuman) {
        Decision decision = node.pipeline().begin(actor, request);
        switch (decision.outcome()) {
            case REFUSED -> throw new PolicyException(decision.refusal(), decision.reason());
            case HELD -> {
                Spend held = decision.spend();
                String what = request.action() + (request.model().isEmpty() ? "" : " on " + request.model());
                String question = request.agent() + " asks to spend up to " + Cu.format(request.amount()) + " CU (" + what
                        + "), above its approval threshold. Approve?";
                Optional<Boolean> answer = askHuman == null ? Optional.empty() : askHuman.apply(question);
                if (answer.isEmpty()) {
                    throw new ApprovalRequired(held.approvalId(), request.amount(), "this " + what + " may cost up to "
                            + Cu.format(request.amount()) + " CU, above the approval threshold: ask the operator to approve "
                            + held.approvalId() + ", then call again with approval_id");
                }
                if (answer.get()) node.pipeline().approve(Actor.operator(), held.approvalId(), "approved by the user when asked");
                else node.pipeline().deny(Actor.operator(), held.approvalId(), "declined by the user when asked");
                PolicyException.require(answer.get(), Refusal.APPROVAL_DENIED, "the user declined the spend");
                return node.pipeline().spendFor(held.approvalId());
            }
            default -> {
                return decision.spend();
            }
        }
    }

    private Spend approved(Actor actor, String approvalId) {
        Spend spend = node.pipeline().spendFor(approvalId);
        PolicyException.require(spend.request().agent().equals(actor.id()), Refusal.UNAUTHORIZED,
                "approval " + approvalId + " is not for " + actor.id());
        PolicyException.require(spend.status() != Spend.Status.AWAITING_APPROVAL, Refusal.APPROVAL_REQUIRED,
                "approval " + approvalId + " still waits for the operator");
        return spend;
    }
}
