package dev.forge.agent;

import dev.forge.economy.market.Cu;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The agent's own ceilings, enforced on every decision whatever the planner says: a hard
 * ceiling on what one run may spend (orders' most cost and deposits), a soft limit past which
 * it winds down (repays, no new spending or borrowing), a ceiling on borrowing, and a loop
 * detector (the same step proposed again and again, or too many steps for one task).
 */
public final class Guard {
    /**
     * @param maxSpend µCU one run may spend at most
     * @param softLimit µCU after which the run winds down
     * @param maxBorrow µCU one run may borrow at most
     * @param maxRepeats a non-wait step proposed this many times in a row with nothing carried out is a loop
     * @param maxStepsPerTask steps (waits included) before a task is given up
     */
    public record Limits(long maxSpend, long softLimit, long maxBorrow, int maxRepeats, int maxStepsPerTask) {
        public Limits {
            if (maxSpend < 0 || softLimit < 0 || softLimit > maxSpend || maxBorrow < 0 || maxRepeats < 1 || maxStepsPerTask < 1) {
                throw new IllegalArgumentException("guard limits out of range");
            }
        }
    }

    private final Limits limits;
    private final Deque<String> recent = new ArrayDeque<>();
    private long spent;
    private long borrowed;
    private int stepsThisTask;

    public Guard(Limits limits) {
        this.limits = limits;
    }

    /** The decision to carry out: the planner's, or the guard's replacement with its reason. */
    public Decision check(Decision proposed) {
        if (++stepsThisTask > limits.maxStepsPerTask()) {
            return Decision.of(Decision.Kind.SKIP, "guard: " + limits.maxStepsPerTask() + " steps on one task; giving it up");
        }
        if (proposed.kind() == Decision.Kind.WAIT || proposed.kind() == Decision.Kind.STOP) return proposed;
        if (repeated(proposed)) {
            return Decision.of(Decision.Kind.SKIP, "guard: the planner proposed the same step " + limits.maxRepeats()
                    + " times in a row (" + proposed.kind().name().toLowerCase(java.util.Locale.ROOT) + "); a loop, so the task is given up");
        }
        boolean windDown = spent >= limits.softLimit();
        if (proposed.kind() == Decision.Kind.LEND && (windDown || spent + proposed.amount() > limits.maxSpend())) {
            return Decision.of(Decision.Kind.SKIP, "guard: no lending " + (windDown ? "while winding down"
                    : "past this run's ceiling of " + cu(limits.maxSpend()) + " CU (spent " + cu(spent) + ")"));
        }
        if (proposed.kind().spends() && windDown) {
            return Decision.of(Decision.Kind.STOP, "guard: spent " + cu(spent) + " CU, past the soft limit of "
                    + cu(limits.softLimit()) + " CU: winding down");
        }
        if (proposed.kind().spends() && spent + proposed.amount() > limits.maxSpend()) {
            return Decision.of(Decision.Kind.STOP, "guard: " + cu(proposed.amount()) + " CU more would take this run past its ceiling of "
                    + cu(limits.maxSpend()) + " CU (spent " + cu(spent) + ")");
        }
        if (proposed.kind() == Decision.Kind.BORROW && (windDown || borrowed + proposed.amount() > limits.maxBorrow())) {
            return Decision.of(Decision.Kind.SKIP, "guard: no borrowing " + (windDown ? "while winding down"
                    : "beyond " + cu(limits.maxBorrow()) + " CU a run (borrowed " + cu(borrowed) + ")"));
        }
        return proposed;
    }

    private boolean repeated(Decision proposed) {
        recent.addLast(proposed.signature());
        while (recent.size() > limits.maxRepeats()) recent.removeFirst();
        return recent.size() == limits.maxRepeats() && limits.maxRepeats() > 1
                && recent.stream().allMatch(proposed.signature()::equals);
    }

    /** A step the node carried out: what it spent or borrowed counts against the ceilings. */
    public void carriedOut(Decision decision, long amount) {
        if (decision.kind().spends()) spent += amount;
        if (decision.kind() == Decision.Kind.BORROW) borrowed += amount;
        recent.clear(); // progress: the same step again is not a loop
    }

    /** A new task: its steps are counted afresh. */
    public void nextTask() {
        stepsThisTask = 0;
        recent.clear();
    }

    public long spent() {
        return spent;
    }

    public long borrowed() {
        return borrowed;
    }

    private static String cu(long micro) {
        return new java.math.BigDecimal(Cu.format(micro)).stripTrailingZeros().toPlainString();
    }
}
