package dev.forge.agent;

import dev.forge.economy.market.ModelTier;
import java.util.ArrayList;
import java.util.List;

/** A queue of tasks of different difficulty, the same every time for the same count. */
public final class Tasks {
    private static final String[] PROMPTS = {"Once upon a time", "The little dog", "One day, Lily", "Tom had a ball",
        "The sun was", "A big red bird", "Sam and his cat", "In the park"};
    /** Difficulty cycles: most tasks are easy, every fourth deserves the large tier. */
    private static final ModelTier[] NEEDS = {ModelTier.TINY, ModelTier.SMALL, ModelTier.TINY, ModelTier.LARGE};
    /**
     * µCU a result is worth at the deserved tier. A large task is worth more than the large tier
     * costs: 80 tokens at the large tier's market price (80 CU per 1,000 at a factor of 1, from
     * 0.5 to 3) is 3.2 to 19.2 CU.
     */
    private static final long[] VALUES = {400_000, 1_000_000, 400_000, 12_000_000};

    private Tasks() {
    }

    public static List<Task> mixed(int count) {
        if (count < 1 || count > 1_000) throw new IllegalArgumentException("1 to 1,000 tasks");
        List<Task> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = i % NEEDS.length;
            tasks.add(new Task("task-" + (i + 1), PROMPTS[i % PROMPTS.length], 24 + 8 * kind, NEEDS[kind], VALUES[kind]));
        }
        return tasks;
    }
}
