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
 * A writer that stops (a failed write, an interrupt) stops spending: every later decision is
 * refused until the node restarts, and the failure is logged and shown by {@link #problem()}.
 * Text fields are cut to {@link #MAX_FIELD} characters when the event is made, so no entry is
 * ever too large for its encoding.
 *
 * <p>The chain's head (last sequence and hash) is committed with every group in the store, so
 * entries deleted from the tail are detected on open, and the log then refuses to open.
 * Actions that change safety state (kill, release, policy, approval) also persist that state
 * synchronously in the {@link SafetyStore}.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int QUEUE_CAPACITY = 65_536;
    private static final int MAX_GROUP = 4_096;
    /** Characters kept of each text field: at most 4,000 UTF-8 bytes, far below the encoding's 65,535. */
    static final int MAX_FIELD = 1_000;
    static final String HEAD_KEY = "audit-head";
    private static final String HEAD_TAG = "forge/audit-head/v1";

    /** What happened, before the log numbers and chains it. Text is cut to {@link #MAX_FIELD} here, at the source. */
    record Event(long time, String actor, String action, String agent, long amount, String outcome, String code,
                 String reason) {
        Event {
            actor = cut(actor);
            action = cut(action);
            agent = cut(agent);
            outcome = cut(outcome);
            code = cut(code);
            reason = cut(reason);
        }
    }

    static String cut(String text) {
        if (text == null) return "";
        if (text.length() <= MAX_FIELD) return text;
        int end = Character.isHighSurrogate(text.charAt(MAX_FIELD - 1)) ? MAX_FIELD - 1 : MAX_FIELD;
        return text.substring(0, end) + "… (cut from " + text.length() + " characters)";
    }

    private final SafetyStore store;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private volatile boolean closing;
    private long nextSequence;
    private byte[] lastHash;
    private volatile long written;
    private volatile boolean writerBusy;
    private volatile String problem;

    AuditLog(SafetyStore store) {
        this.store = store;
        verifyChain();
        this.writer = Thread.ofPlatform().name("forge-audit-writer").daemon(true).start(this::run);
    }

    /** Queues an event; false if the log cannot take it (the caller must then refuse). */
    boolean record(Event event) {
        return accepting() && queue.offer(event);
    }

    /** Whether decisions can be recorded now: the writer runs and the store is healthy. */
    public boolean accepting() {
        return !closing && problem == null && store.healthy();
    }

    /** Why the writer stopped, if it did. */
    public java.util.Optional<String> problem() {
        return java.util.Optional.ofNullable(problem);
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
        checkHead(expected - 1, previous);
        nextSequence = expected;
        lastHash = previous;
        written = expected - 1;
    }

    /** Refuses a chain that ends before the head its last commit recorded: its tail was deleted. */
    private void checkHead(long last, byte[] lastHash) {
        byte[] saved = store.get(HEAD_KEY);
        if (saved == null) {
            // A store from before heads were kept: start keeping one from its chain as it is.
            if (last > 0) System.err.println("forge: the audit log has no head record yet; writing one at entry " + last);
            store.put(HEAD_KEY, head(last, lastHash));
            return;
        }
        var in = new dev.forge.economy.codec.CanonicalReader(saved);
        if (!HEAD_TAG.equals(in.string())) throw new IllegalStateException("unknown audit head record");
        long headSequence = in.i64();
        byte[] headHash = in.fixed(Sha256.SIZE);
        if (headSequence != last || !Arrays.equals(headHash, lastHash)) {
            throw new IllegalStateException("the audit log ends at entry " + last + " but its last commit recorded entry "
                    + headSequence + ": entries were removed or replaced; the safety store will not open until it is restored");
        }
    }

    static byte[] head(long sequence, byte[] hash) {
        return new dev.forge.economy.codec.CanonicalWriter(64).string(HEAD_TAG).i64(sequence).fixed(hash, Sha256.SIZE)
                .toByteArray();
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
            if (problem != null) throw new IllegalStateException("the audit writer stopped: " + problem);
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
                if (!closing) stop("the writer was interrupted");
                return;
            } catch (RuntimeException e) {
                stop("a write failed: " + e);
                LOG.log(Level.SEVERE, "the audit log could not write", e);
                return;
            } finally {
                group.clear();
                writerBusy = false;
            }
        }
    }

    /** Fail-safe: from now on every decision is refused as policy_unavailable, and the operator is told. */
    private void stop(String why) {
        problem = why;
        System.err.println("forge: the audit writer stopped (" + why + "); every spend is refused until the node restarts");
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
        store.appendAudit(entries, HEAD_KEY, head(sequence - 1, previous));
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
