package dev.forge.node.demo;

import dev.forge.agent.Decision;
import dev.forge.agent.Planner;
import dev.forge.agent.Snapshot;
import dev.forge.agent.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Paces the agents in rounds: round N is every agent's task N. An agent's planner is wrapped so
 * that it waits, before deciding anything for task N, until the demo opens round N; the demo
 * reads the books when every agent waits at the next round or has ended. The wrapped planner
 * decides everything else; a task it can only wait on (short of CU) is left after a few looks,
 * so one round cannot hold the others (a kill switch is waited out, as the planner says).
 */
final class RoundGate {
    private final Map<String, Integer> waitingAt = new HashMap<>();
    /** The last round each agent's planner was asked to decide in (it has started that round's task). */
    private final Map<String, Integer> startedAt = new HashMap<>();
    private int open;

    /** Lets round {@code round}'s tasks start. */
    synchronized void open(int round) {
        open = round;
        notifyAll();
    }

    /** True once every agent waits to start a task after {@code round} or has ended; false after {@code timeoutMillis}. */
    synchronized boolean awaitEnd(int round, Set<String> agents, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!agents.stream().allMatch(a -> waitingAt.getOrDefault(a, 0) > round)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    /** True once every one of {@code agents} has started its task of {@code round}; false after {@code timeoutMillis}. */
    synchronized boolean awaitStarted(int round, Set<String> agents, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!agents.stream().allMatch(a -> startedAt.getOrDefault(a, 0) >= round)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    private synchronized void started(String agent, int round) {
        if (startedAt.getOrDefault(agent, 0) < round) {
            startedAt.put(agent, round);
            notifyAll();
        }
    }

    synchronized void ended(String agent) {
        waitingAt.put(agent, Integer.MAX_VALUE);
        notifyAll();
    }

    private synchronized void awaitStart(String agent, int task) throws InterruptedException {
        waitingAt.put(agent, task);
        notifyAll();
        while (task > open) wait();
    }

    private synchronized boolean isOpen(int task) {
        return task <= open;
    }

    /** {@code planner}, paced by this gate, for the agent {@code agent}; tasks are named {@code round-N}. */
    Planner pace(String agent, Planner planner, int looksWhileShort) {
        return new Paced(agent, planner, looksWhileShort);
    }

    /** The wrapped planner: the gate before each task, and a bound on waiting for CU (its settling of loans too). */
    private final class Paced implements Planner {
        private final String agent;
        private final Planner planner;
        private final int looksWhileShort;
        private final Map<String, Integer> looks = new HashMap<>();

        Paced(String agent, Planner planner, int looksWhileShort) {
            this.agent = agent;
            this.planner = planner;
            this.looksWhileShort = looksWhileShort;
        }

        @Override
        public Decision decide(Snapshot seen, Task task, List<Task> ahead, Planner.RuledOut ruledOut) {
            int number = Integer.parseInt(task.id().substring(task.id().lastIndexOf('-') + 1));
            if (!isOpen(number)) {
                try {
                    awaitStart(agent, number);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Decision.of(Decision.Kind.STOP, "the demo is over");
                }
                return Decision.of(Decision.Kind.WAIT, "round " + number + " starts: looking again");
            }
            started(agent, number);
            return bounded(seen, task.id(), planner.decide(seen, task, ahead, ruledOut));
        }

        /** After its last task: it settles its loans as its planner says, but waits to earn only a few looks. */
        @Override
        public Decision settle(Snapshot seen) {
            return bounded(seen, "settle", planner.settle(seen));
        }

        private Decision bounded(Snapshot seen, String step, Decision decision) {
            if (decision.kind() == Decision.Kind.WAIT && !seen.killSwitch() && looks.merge(step, 1, Integer::sum) > looksWhileShort) {
                return Decision.of(Decision.Kind.SKIP, "still waiting after " + looksWhileShort + " looks (" + decision.reason()
                        + "); leaving " + step + " so that the demo's round can end");
            }
            return decision;
        }
    }
}
