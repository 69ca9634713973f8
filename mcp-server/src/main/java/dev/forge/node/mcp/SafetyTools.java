package dev.forge.node.mcp;

import dev.forge.node.app.SafetyService;
import java.util.List;

/** {@code kill} and {@code safety}: adapters over {@link SafetyService}. */
final class SafetyTools {
    private final SafetyService safety;

    SafetyTools(SafetyService safety) {
        this.safety = safety;
    }

    List<ForgeTool> tools() {
        return List.of(kill(), safety());
    }

    private ForgeTool kill() {
        return ForgeTool.named("kill").title("Kill switch: freeze all spending").destructive().idempotent()
                .description("Freezes every spend on this node at once and stops chats in progress. Pull it when "
                        + "something is wrong (runaway spending, a compromised agent). Anyone may pull it; only the "
                        + "operator can release it. Costs nothing.")
                .handles(SafetyService.KillRequest.class, SafetyService.KillView.class,
                        (call, request) -> safety.kill(call.actor(), request));
    }

    private ForgeTool safety() {
        return ForgeTool.named("safety").title("Safety state").readOnly()
                .description("What limits your spending now: the kill switch, your budget policy and what you spent "
                        + "this hour and in total, the velocity limit, the models' circuit breakers, and spends waiting "
                        + "for approval. Free to call; call it when a spend is refused to see why.")
                .handles(SafetyService.SafetyRequest.class, SafetyService.Safety.class,
                        (call, request) -> safety.safety(call.actor(), request));
    }
}
