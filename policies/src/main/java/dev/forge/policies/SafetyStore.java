package dev.forge.policies;

import dev.forge.economy.ledger.CrashSafeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.Serializer;

/**
 * The safety layer's durable state in its own MapDB file ({@code safety.db}): the kill
 * switch, budgets, pending approvals and the audit log. Every write commits (synced) before
 * it returns; one lock serializes them because MapDB has one transaction per file.
 *
 * <p>Once a write fails, the store is marked failed and every check that depends on it
 * refuses with {@code policy_unavailable}: unsure means no.
 */
final class SafetyStore implements AutoCloseable {
    static final String FILE_NAME = "safety.db";

    private final DB db;
    private final Map<String, byte[]> state;
    private final NavigableMap<Long, byte[]> audit;
    private volatile boolean failed;

    private SafetyStore(DB db) {
        this.db = db;
        this.state = db.hashMap("state", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.audit = db.treeMap("audit", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
    }

    static SafetyStore open(Path directory) {
        try {
            Files.createDirectories(directory);
            return new SafetyStore(CrashSafeStore.open(directory.resolve(FILE_NAME)));
        } catch (DBException.FileLocked e) {
            throw new IllegalStateException("the safety store in " + directory + " is in use by another process", e);
        } catch (Exception e) {
            throw new IllegalStateException("the safety store in " + directory + " cannot be opened: " + e, e);
        }
    }

    byte[] get(String key) {
        requireHealthy();
        return state.get(key);
    }

    /** Every entry whose key starts with {@code prefix}. */
    Map<String, byte[]> withPrefix(String prefix) {
        requireHealthy();
        Map<String, byte[]> found = new TreeMap<>();
        state.forEach((key, value) -> {
            if (key.startsWith(prefix)) found.put(key, value);
        });
        return found;
    }

    synchronized void put(String key, byte[] value) {
        write(() -> state.put(key, value));
    }

    /** Appends audit entries and, in the same commit, the chain's new head under {@code headKey}. */
    synchronized void appendAudit(Map<Long, byte[]> entries, String headKey, byte[] head) {
        write(() -> {
            audit.putAll(entries);
            state.put(headKey, head);
        });
    }

    NavigableMap<Long, byte[]> audit() {
        requireHealthy();
        return audit;
    }

    private void write(Runnable change) {
        requireHealthy();
        try {
            change.run();
            db.commit();
        } catch (RuntimeException e) {
            failed = true;
            throw new PolicyException(Refusal.POLICY_UNAVAILABLE, "the safety store could not write: " + e);
        }
    }

    boolean healthy() {
        return !failed && !db.isClosed();
    }

    private void requireHealthy() {
        PolicyException.require(healthy(), Refusal.POLICY_UNAVAILABLE, "the safety store is unavailable");
    }

    @Override
    public synchronized void close() {
        if (!db.isClosed()) db.close();
    }
}
