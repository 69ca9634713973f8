package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.CrashSafeStore;
import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.WorkVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.HTreeMap;
import org.mapdb.IndexTreeList;
import org.mapdb.Serializer;

/**
 * What an applier has applied, in one MapDB file: the last stream sequence it handled, each
 * node's tip and entries, the leaf hashes (to rebuild the Merkle logs on open), the money
 * folded per account and the evidence. One transaction per stream message: after a crash
 * the file holds a message wholly or not at all, and the applier resumes after the last one.
 * One writer; readers synchronize on the store.
 */
final class GridStore implements AutoCloseable {
    /** Evidence records kept in full; beyond that only the counts grow (a flood cannot fill the disk). */
    static final int MAX_EVIDENCE = 10_000;

    /** A node's log position: the next index, the last entry's digest, whether it equivocated. */
    record Tip(long nextIndex, byte[] lastDigest, boolean unverifiable) {
        static final Tip EMPTY = new Tip(0, GridEntry.noPrevious(), false);

        byte[] encode() {
            return new CanonicalWriter(48).i64(nextIndex).fixed(lastDigest, Sha256.SIZE).bool(unverifiable).toByteArray();
        }

        static Tip decode(byte[] bytes) {
            var in = new CanonicalReader(bytes);
            return new Tip(in.i64(), in.fixed(Sha256.SIZE), in.bool());
        }
    }

    static final String FILE_NAME = "grid.db";

    private final DB db;
    private final Atomic.Long lastSequence;
    private final HTreeMap<String, byte[]> tips;
    private final HTreeMap<String, byte[]> entries;
    private final HTreeMap<String, byte[]> leaves;
    private final HTreeMap<String, byte[]> attestationTips;
    private final HTreeMap<String, Long> flows;
    private final HTreeMap<String, Long> refusals;
    private final IndexTreeList<byte[]> evidence;
    private final Map<String, MerkleLog> logs = new HashMap<>();

    private GridStore(DB db) {
        this.db = db;
        lastSequence = db.atomicLong("lastSequence").createOrOpen();
        tips = db.hashMap("tips", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        entries = db.hashMap("entries", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        leaves = db.hashMap("leaves", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        attestationTips = db.hashMap("attestationTips", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        flows = db.hashMap("flows", Serializer.STRING, Serializer.LONG).createOrOpen();
        refusals = db.hashMap("refusals", Serializer.STRING, Serializer.LONG).createOrOpen();
        evidence = db.indexTreeList("evidence", Serializer.BYTE_ARRAY).createOrOpen();
        db.commit();
        tips.keySet().forEach(this::rebuild);
    }

    static GridStore open(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            discardIfNeverWritten(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot prepare " + file, e);
        }
        return new GridStore(CrashSafeStore.open(file));
    }

    /**
     * A process killed while MapDB created its file leaves it empty, and MapDB then refuses it.
     * An empty file never held a commit, so it is removed (with any write-ahead log beside it)
     * and the applier starts from the stream's first message. Any other damage is not touched.
     */
    private static void discardIfNeverWritten(Path file) throws java.io.IOException {
        if (!Files.exists(file) || Files.size(file) > 0) return;
        try (var siblings = Files.list(file.getParent())) {
            for (Path sibling : siblings.toList()) {
                if (sibling.getFileName().toString().startsWith(FILE_NAME + ".wal")) Files.delete(sibling);
            }
        }
        Files.delete(file);
    }

    synchronized long lastSequence() {
        return lastSequence.get();
    }

    synchronized Tip tip(String nodeId) {
        byte[] bytes = tips.get(nodeId);
        return bytes == null ? Tip.EMPTY : Tip.decode(bytes);
    }

    synchronized Optional<byte[]> entry(String nodeId, long index) {
        return Optional.ofNullable(entries.get(key(nodeId, index)));
    }

    /**
     * The last applied attestation signed by a provider key. A chain is its key's, not an account
     * name's: names are each node's own (every node's chats are attested by its "node", with its
     * own key), and a key's attestation republished in another node's log is still a duplicate.
     */
    synchronized WorkVerifier.ChainTip attestationTip(byte[] providerKey) {
        byte[] bytes = attestationTips.get(chainOf(providerKey));
        if (bytes == null) return WorkVerifier.ChainTip.empty();
        var in = new CanonicalReader(bytes);
        return new WorkVerifier.ChainTip(in.i64(), in.fixed(Sha256.SIZE));
    }

    /** The node's log with {@code leafHash} appended, not yet stored: {@link #apply} or {@link #rebuild} follows. */
    synchronized byte[] rootWith(String nodeId, byte[] leafHash) {
        MerkleLog log = logs.computeIfAbsent(nodeId, id -> new MerkleLog());
        log.append(leafHash);
        return log.root();
    }

    /**
     * Stores an applied entry (after {@link #rootWith}) and the message's sequence, in one commit.
     * Should anything fail before the commit, nothing of it stays, on disk or in memory.
     */
    synchronized void apply(GridEntry entry, byte[] encoded, WorkVerifier.ChainTip attestationTip, long sequence) {
        String nodeId = entry.nodeId();
        try {
            entries.put(key(nodeId, entry.index()), encoded);
            leaves.put(key(nodeId, entry.index()), entry.record().leafHash());
            tips.put(nodeId, new Tip(entry.index() + 1, Sha256.hash(encoded), false).encode());
            if (attestationTip != null && entry.record() instanceof GridRecord.WorkRecord work) {
                attestationTips.put(chainOf(work.providerKey()), new CanonicalWriter(40).i64(attestationTip.nextIndex())
                        .fixed(attestationTip.lastDigest(), Sha256.SIZE).toByteArray());
            }
            GridRecord record = entry.record();
            String payer = account(nodeId, record.payer(nodeId));
            String payee = account(nodeId, record.payee(nodeId));
            flows.put(payer, Math.subtractExact(flows.getOrDefault(payer, 0L), record.amount()));
            flows.put(payee, Math.addExact(flows.getOrDefault(payee, 0L), record.amount()));
            lastSequence.set(sequence);
            db.commit();
        } catch (RuntimeException e) {
            db.rollback();
            rebuild(nodeId);
            throw e;
        }
    }

    /** Stores a refusal and the message's sequence, in one commit; an equivocation marks the node. */
    synchronized void refuse(GridEvidence refused, long sequence) {
        db.rollback();
        if (refused.refusal() == GridRefusal.EQUIVOCATION) {
            Tip tip = tip(refused.nodeId());
            tips.put(refused.nodeId(), new Tip(tip.nextIndex(), tip.lastDigest(), true).encode());
        }
        refusals.merge(refused.refusal().code(), 1L, Long::sum);
        if (evidence.size() < MAX_EVIDENCE) evidence.add(refused.encode());
        lastSequence.set(sequence);
        db.commit();
        List.copyOf(logs.keySet()).forEach(this::rebuildIfLonger);
    }

    /** Rebuilds a node's Merkle log from its stored leaf hashes: on open, and after a refused append. */
    synchronized void rebuild(String nodeId) {
        long size = tip(nodeId).nextIndex();
        var log = new MerkleLog();
        for (long index = 0; index < size; index++) log.append(leaves.get(key(nodeId, index)));
        logs.put(nodeId, log);
    }

    private void rebuildIfLonger(String nodeId) {
        MerkleLog log = logs.get(nodeId);
        if (log != null && log.size() != tip(nodeId).nextIndex()) rebuild(nodeId);
    }

    synchronized Map<String, GridRoot.Head> heads() {
        Map<String, GridRoot.Head> heads = new TreeMap<>();
        logs.forEach((nodeId, log) -> {
            if (log.size() > 0) heads.put(nodeId, new GridRoot.Head(log.size(), log.root()));
        });
        return heads;
    }

    synchronized MerkleLog log(String nodeId) {
        return logs.get(nodeId);
    }

    synchronized Map<String, Long> flows() {
        return new TreeMap<>(flows);
    }

    synchronized Map<String, Long> refusals() {
        return new TreeMap<>(refusals);
    }

    synchronized Map<String, Boolean> verifiable() {
        Map<String, Boolean> out = new TreeMap<>();
        tips.forEach((nodeId, bytes) -> out.put(nodeId, !Tip.decode(bytes).unverifiable()));
        return out;
    }

    /** Evidence records from position {@code from} on (kept in the order refused, never removed). */
    synchronized List<GridEvidence> evidence(int from) {
        int size = evidence.size();
        List<GridEvidence> out = new ArrayList<>(Math.max(0, size - from));
        for (int i = Math.max(0, from); i < size; i++) out.add(GridEvidence.decode(evidence.get(i)));
        return out;
    }

    /** Account ids are unique within a ledger only: on the grid an account is named with its node. */
    private static String chainOf(byte[] providerKey) {
        return java.util.HexFormat.of().formatHex(providerKey);
    }

    static String account(String nodeId, String account) {
        return nodeId + "/" + account;
    }

    private static String key(String nodeId, long index) {
        return nodeId + "/" + index;
    }

    @Override
    public synchronized void close() {
        db.close();
    }
}
