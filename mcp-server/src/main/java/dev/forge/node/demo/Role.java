package dev.forge.node.demo;

import dev.forge.agent.Task;
import dev.forge.economy.market.ModelTier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the demo's agents and its means.
 *
 * @param means what sets it apart, in a few words (printed in the table)
 * @param seed µCU of its 1,000 CU grant it moves to its key account to order with (move_funds, its own call)
 * @param perRequest the node's policy for it: the most one spend may cost, µCU
 * @param lifetime the node's policy: the most it may ever spend, µCU
 * @param model the model it sells with its own provider runtime, or null
 * @param price µCU per 1,000 tokens it sells at
 * @param maxSpend its own guard's ceiling for the run, µCU (0: it orders nothing)
 * @param needs the tier each round's task deserves, cycled
 * @param history whether it trades with the node first, for a credit score that earns a loan ({@link CreditHistory})
 */
record Role(String name, String means, long seed, long perRequest, long lifetime, Path model, long price, long maxSpend,
            List<ModelTier> needs, boolean history) {
    static final String[] PROMPTS = {"Once upon a time", "The little dog", "One day, Lily", "Tom had a ball", "The sun was",
        "A big red bird"};

    boolean orders() {
        return maxSpend > 0;
    }

    /** Round N's task: the tier from {@code needs}; a large task is worth 20 CU, a tiny one 2 CU. */
    List<Task> tasks(int rounds) {
        List<Task> tasks = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            ModelTier tier = needs.get((round - 1) % needs.size());
            boolean large = tier == ModelTier.LARGE;
            tasks.add(new Task("round-" + round, PROMPTS[(round - 1) % PROMPTS.length], large ? 48 : 24, tier,
                    large ? 20_000_000 : 2_000_000));
        }
        return tasks;
    }
}
