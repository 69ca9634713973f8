package dev.forge.agent;

import java.util.List;
import java.util.Set;

/**
 * Decides the agent's next step for a task from what it saw, and says why in one line. The
 * deterministic {@link EconomicPlanner} is the default; an LLM planner can implement the same
 * interface. Whatever a planner decides, the {@link Guard} has the last word.
 */
public interface Planner {
    /**
     * @param ahead the tasks after this one, in order (a planner may look at them to judge a loan)
     * @param ruledOut offers ({@link Offer#key()}) and step kinds the node refused for this task
     */
    Decision decide(Snapshot seen, Task task, List<Task> ahead, RuledOut ruledOut);

    /**
     * After the last task, while a loan is active: repay, wait to earn, or skip (leave the loans
     * to their terms and end the run). The default leaves them.
     */
    default Decision settle(Snapshot seen) {
        return Decision.of(Decision.Kind.SKIP, "this planner leaves its loans to their terms");
    }

    /** What the node refused during this task, so that a planner does not propose it again. */
    record RuledOut(Set<String> offers, Set<Decision.Kind> kinds) {
        public static RuledOut none() {
            return new RuledOut(Set.of(), Set.of());
        }

        public boolean offer(Offer offer) {
            return offers.contains(offer.key());
        }

        public boolean kind(Decision.Kind kind) {
            return kinds.contains(kind);
        }
    }
}
