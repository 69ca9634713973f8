package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** 100 threads spend against one agent's hourly budget at once. */
class BudgetRaceTest extends PipelineFixture {
    private static final long HOURLY = 100 * CU;
    private static final long EACH = 3 * CU;

    @Override
    PipelineConfig config() {
        return super.config().withVelocity(new VelocityPolicy(10_000, 1_000_000 * CU, 60_000));
    }

    @Test
    void theHourlyBudgetHoldsUnderARace() throws Exception {
        pipeline.setPolicy(OPERATOR, "alice", new BudgetPolicy(10 * CU, HOURLY, 1_000 * CU, 10 * CU));
        ExecutorService threads = Executors.newFixedThreadPool(100);
        var start = new CountDownLatch(1);
        List<Future<Decision>> decisions = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            decisions.add(threads.submit(() -> {
                start.await();
                return spend(ALICE, EACH);
            }));
        }
        start.countDown();
        long allowed = 0;
        for (Future<Decision> future : decisions) {
            Decision decision = future.get();
            if (decision.allowed()) allowed++;
            else assertEquals(Refusal.BUDGET_HOUR, decision.refusal(), decision.reason());
        }
        threads.shutdown();
        assertEquals(HOURLY / EACH, allowed, "exactly as many spends as fit in the budget");
        long held = 1_000 * CU - available("alice");
        assertTrue(held <= HOURLY, "held " + held + " µCU, budget " + HOURLY);
        assertEquals(allowed * EACH, held);
    }
}
