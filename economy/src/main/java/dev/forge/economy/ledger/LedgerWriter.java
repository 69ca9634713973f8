package dev.forge.economy.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that changes the ledger. It takes every command waiting (up to a batch),
 * applies each, writes the accepted ones as one journal record, syncs, publishes, and only
 * then answers: one fsync serves the whole group, and no caller hears "done" before its
 * entry is durable.
 *
 * <p>If a commit fails, the writer stops: memory may be ahead of the disk, so it answers
 * every waiting caller with {@code ledger_failed} and never serves again. A restart replays
 * the journal to what was really committed.
 */
final class LedgerWriter {
    private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());
    /** A submitter facing a full queue re-checks this often even if no wake-up reaches it. */
    private static final long QUEUE_FULL_WAIT_MILLIS = 5;

    private sealed interface Work {
        CompletableFuture<Object> future();
    }

    private record Write(Command command, CompletableFuture<Object> future) implements Work {}

    private record Query(Function<LedgerState, ?> query, CompletableFuture<Object> future) implements Work {}

    private final Journal journal;
    private final LedgerState state;
    private final LedgerView view;
    private final LedgerConfig config;
    private final BlockingQueue<Work> queue;
    private final Object lifecycle = new Object();
    private final Thread thread;
    private volatile boolean closing;
    /** Submitters waiting for room; changed under the lock, read without it as a hint. */
    private volatile int waiting;
    private volatile LedgerException failure;
    private long lastTime;

    long journalHead() {
        return journal.lastSequence();
    }

    LedgerWriter(Journal journal, LedgerState state, LedgerView view, LedgerConfig config, long lastTime) {
        this.journal = journal;
        this.state = state;
        this.view = view;
        this.config = config;
        this.lastTime = lastTime;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.thread = Thread.ofPlatform().name("forge-ledger-writer").daemon(false).start(this::run);
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(Command command) {
        return (CompletableFuture<T>) enqueue(new Write(command, new CompletableFuture<>()));
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> query(Function<LedgerState, T> query) {
        return (CompletableFuture<T>) enqueue(new Query(query, new CompletableFuture<>()));
    }

    /**
     * Waits for room in the queue without holding the lock while it waits ({@code wait}
     * releases it), so that a writer that fails while the queue is full can still take the lock,
     * record its failure and answer everyone instead of hanging.
     */
    private CompletableFuture<Object> enqueue(Work work) {
        synchronized (lifecycle) {
            while (true) {
                if (failure != null) return CompletableFuture.failedFuture(failure);
                if (closing) return CompletableFuture.failedFuture(new LedgerException(LedgerError.LEDGER_CLOSED, "the ledger is closed"));
                if (queue.offer(work)) return work.future();
                waiting++;
                try {
                    lifecycle.wait(QUEUE_FULL_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CompletableFuture.failedFuture(new LedgerException(LedgerError.LEDGER_CLOSED, "interrupted while queueing"));
                } finally {
                    waiting--;
                }
            }
        }
    }

    /** Wakes submitters waiting for room; only when someone waits, so a free-flowing queue pays nothing. */
    private void roomMade() {
        if (waiting == 0) return;
        synchronized (lifecycle) {
            lifecycle.notifyAll();
        }
    }

    private void run() {
        List<Work> batch = new ArrayList<>(config.maxBatch());
        try {
            while (true) {
                Work first = queue.poll(config.expiryCheckMillis(), TimeUnit.MILLISECONDS);
                if (first == null && closing && queue.isEmpty()) break;
                if (first != null) batch.add(first);
                queue.drainTo(batch, config.maxBatch() - batch.size());
                if (!batch.isEmpty()) roomMade();
                process(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(batch, e);
        } finally {
            journal.close();
            drainRemaining();
        }
    }

    private void process(List<Work> batch) {
        long now = nextTime();
        List<Command> accepted = new ArrayList<>(batch.size() + 1);
        List<Runnable> answers = new ArrayList<>(batch.size());
        if (state.earliestExpiry() <= now && state.apply(new Command.ExpireHolds(), now).changed()) {
            accepted.add(new Command.ExpireHolds());
        }
        for (Work work : batch) {
            if (work instanceof Write write) applyOne(write, now, accepted, answers);
        }
        if (!accepted.isEmpty()) journal.append(now, accepted);
        state.publishTo(view);
        answers.forEach(Runnable::run);
        for (Work work : batch) {
            if (work instanceof Query query) answer(query);
        }
    }

    private void applyOne(Write write, long now, List<Command> accepted, List<Runnable> answers) {
        try {
            LedgerState.Outcome outcome = state.apply(write.command(), now);
            if (outcome.changed()) accepted.add(write.command());
            answers.add(() -> write.future().complete(outcome.result()));
        } catch (LedgerException refused) {
            answers.add(() -> write.future().completeExceptionally(refused));
        }
    }

    private void answer(Query query) {
        try {
            query.future().complete(query.query().apply(state));
        } catch (RuntimeException e) {
            query.future().completeExceptionally(e);
        }
    }

    /** Ledger time never goes backwards, even if the wall clock does. */
    private long nextTime() {
        lastTime = Math.max(lastTime, config.clock().millis());
        return lastTime;
    }

    private void fail(List<Work> batch, Throwable cause) {
        LOG.log(Level.SEVERE, "ledger commit failed; the ledger stops serving", cause);
        synchronized (lifecycle) {
            failure = new LedgerException(LedgerError.LEDGER_FAILED,
                    "the ledger could not write and stopped: " + cause + "; restart it to recover from its journal");
            lifecycle.notifyAll();
        }
        for (Work work : batch) work.future().completeExceptionally(failure);
    }

    private void drainRemaining() {
        LedgerException reason = failure != null ? failure
                : new LedgerException(LedgerError.LEDGER_CLOSED, "the ledger is closed");
        synchronized (lifecycle) {
            closing = true;
            Work work;
            while ((work = queue.poll()) != null) work.future().completeExceptionally(reason);
            lifecycle.notifyAll();
        }
    }

    void close() {
        synchronized (lifecycle) {
            closing = true;
            lifecycle.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
