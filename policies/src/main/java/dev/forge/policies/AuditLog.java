package dev.forge.policies;

import dev.forge.economy.crypto.Sha256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The append-only, hash-chained record of every safety decision and action.
 *
 * <p>Deciding must stay in microseconds, so a decision only queues its entry; a background
 * writer numbers, chains and commits queued entries in groups, typically within a few
 * milliseconds. A full queue is a refusal ({@code policy_unavailable}), never a dropped entry.
 * Actions that change safety state (kill, release, policy, approval) also persist that state
 * synchronously in the {@link SafetyStore}.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int QUEUE_CAPACITY = 65_536;
    private static final int MAX_GROUP = 4_096;

    /** What happened, before the log numbers and chains it. */
    record Event(long time, String actor, String action, String agent, long amount, String outcome, String code,
                 String reason) {}

    private final SafetyStore store;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private volatile boolean closing;
    private long nextSequence;
    private byte[] lastHash;
    private volatile long written;
    private volatile boolean writerBusy;

    AuditLog(SafetyStore store) {
        this.store = store;
        verifyChain();
        this.writer = Thread.ofPlatform().name("forge-audit-writer").daemon(true).start(this::run);
    }

    /** Queues an event; false if the log cannot take it (the caller must then refuse). */
    boolean record(Event event) {
        return !closing && store.healthy() && queue.offer(event);
    }

    /** Re-reads the whole chain from the store; throws if any link is broken. */
    void verifyChain() {
        byte[] previous = new byte[Sha256.SIZE];
        long expected = 1;
        for (Map.Entry<Long, byte[]> stored : store.audit().entrySet()) {
            AuditEntry entry = AuditEntry.decode(stored.getValue());
            if (entry.sequence() != expected || stored.getKey() != expected || !Arrays.equals(entry.previousHash(), previous)) {
                throw new IllegalStateException("the audit log is broken at entry " + expected);
            }
            previous = Sha256.hash(stored.getValue());
            expected++;
        }
        nextSequence = expected;
        lastHash = previous;
        written = expected - 1;
    }

    public long size() {
        return written;
    }

    /** The newest entries, newest last. */
    public List<AuditEntry> recent(int limit) {
        List<AuditEntry> entries = new ArrayList<>();
        for (byte[] bytes : store.audit().descendingMap().values()) {
            if (entries.size() == limit) break;
            entries.add(AuditEntry.decode(bytes));
        }
        return entries.reversed();
    }

    /** Waits until everything queued so far is durable. */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!queue.isEmpty() || writerBusy) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the audit log did not flush in 10 s");
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run() {
        List<Event> group = new ArrayList<>();
        while (!(closing && queue.isEmpty())) {
            try {
                Event first = queue.poll(20, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                writerBusy = true;
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "the audit log could not write; spends will be refused", e);
                return;
            } finally {
                group.clear();
                writerBusy = false;
            }
        }
    }

    private void write(List<Event> group) {
        Map<Long, byte[]> entries = new LinkedHashMap<>();
        long sequence = nextSequence;
        byte[] previous = lastHash;
        for (Event e : group) {
            byte[] bytes = new AuditEntry(sequence, e.time(), e.actor(), e.action(), e.agent(), e.amount(), e.outcome(),
                    e.code(), e.reason(), previous).encode();
            entries.put(sequence++, bytes);
            previous = Sha256.hash(bytes);
        }
        store.appendAudit(entries);
        nextSequence = sequence;
        lastHash = previous;
        written = sequence - 1;
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
