package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.Serializer;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.VolumeFactory;

/**
 * The ledger's durable log in MapDB: one record per group commit, and a head that names the
 * last record and its hash. Record and head are written in one MapDB transaction; its writes
 * to the store go through {@link RedoVolume}'s synced redo file before {@link #append} returns.
 *
 * <p>One put per group commit rather than several per trade: MapDB pays ~100-190 µs per put
 * with transactions on, so fewer, larger puts are what make thousands of trades per second.
 */
final class Journal implements AutoCloseable {
    static final String FILE_NAME = "ledger.db";
    private static final String HEAD = "head";
    private static final byte[] GENESIS = new byte[Sha256.SIZE];

    private final DB db;
    private final Map<Long, byte[]> records;
    private final Map<String, byte[]> meta;
    private volatile long lastSequence; // written by the writer thread, read at close by the owner
    private byte[] lastHash = GENESIS;

    /** Over any MapDB store with the journal's layout; {@link #open} gives the ledger's own. */
    Journal(DB db) {
        this.db = db;
        this.records = db.treeMap("journal", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        this.meta = db.hashMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
    }

    static Journal open(Path directory) {
        // FileChannel: measured faster commits of large records than the default RandomAccessFile.
        return open(directory, FileChannelVol.FACTORY);
    }

    static Journal open(Path directory, VolumeFactory volumes) {
        Path file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
        } catch (Exception e) {
            throw new LedgerStorageException(LedgerStorageException.Reason.UNREADABLE,
                    "cannot create the ledger folder " + directory + ": " + e.getMessage(), e);
        }
        if (Files.exists(file) && !(Files.isReadable(file) && Files.isWritable(file))) {
            throw new LedgerStorageException(LedgerStorageException.Reason.UNREADABLE,
                    "the ledger file " + file + " cannot be read and written by this user", null);
        }
        try {
            var journal = new Journal(CrashSafeStore.open(file, volumes));
            ownerOnly(file);
            Path redo = Path.of(file + RedoVolume.SUFFIX);
            if (Files.exists(redo)) ownerOnly(redo);
            return journal;
        } catch (LedgerStorageException e) {
            throw e;
        } catch (DBException.FileLocked e) {
            throw new LedgerStorageException(LedgerStorageException.Reason.IN_USE,
                    "the ledger in " + directory + " is in use by another process (or already open in this one)", e);
        } catch (RuntimeException e) {
            // The file is there and accessible, yet MapDB cannot read it: its content is wrong.
            throw new LedgerStorageException(LedgerStorageException.Reason.CORRUPT,
                    "the ledger file " + file + " is not a readable Forge ledger (" + e + "); it was left untouched", e);
        }
    }

    /** The ledger is readable by its owner only, whatever the umask was when it was created. */
    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own access rules apply.
        } catch (java.io.IOException e) {
            throw new LedgerStorageException(LedgerStorageException.Reason.UNREADABLE,
                    "cannot make the ledger file " + file + " private: " + e.getMessage(), e);
        }
    }

    boolean isEmpty() {
        return records.isEmpty() && !meta.containsKey(HEAD);
    }

    /**
     * Reads every record up to the head, by key, checking the hash chain and, at the end, the
     * head's hash. Records are fetched one by one, by key, which is what the chain check needs.
     * (A CI run once found the tree's iteration out of order after a SIGKILL: MapDB's torn
     * in-place commit, which {@link RedoVolume} now prevents.) Any record that is missing,
     * altered or out of chain is still reported as corruption.
     */
    void replay(Consumer<JournalRecord> apply) {
        long headSequence = headSequence();
        byte[] previous = GENESIS;
        for (long sequence = 1; sequence <= headSequence; sequence++) {
            byte[] bytes = records.get(sequence);
            if (bytes == null) throw corrupt("record " + sequence + " is missing (the head names " + headSequence + ")", null);
            JournalRecord record = decode(sequence, bytes);
            if (record.sequence() != sequence) {
                throw corrupt("record " + sequence + " holds record " + record.sequence(), null);
            }
            if (!Arrays.equals(record.previousHash(), previous)) {
                throw corrupt("record " + sequence + " does not chain to the record before it", null);
            }
            apply.accept(record);
            previous = Sha256.hash(bytes);
        }
        if (records.get(headSequence + 1) != null) {
            throw corrupt("the journal has a record after its head (" + (headSequence + 1) + ")", null);
        }
        checkHead(headSequence, previous);
        lastSequence = headSequence;
        lastHash = previous;
    }

    /** The last record's sequence as the head names it; 0 for a new journal. */
    private long headSequence() {
        byte[] head = meta.get(HEAD);
        if (head == null) {
            if (records.get(1L) != null) throw corrupt("the journal has records but no head", null);
            return 0;
        }
        return new CanonicalReader(head).i64();
    }

    private JournalRecord decode(long key, byte[] bytes) {
        try {
            return JournalRecord.decode(bytes);
        } catch (MalformedEncodingException | LedgerException e) {
            throw corrupt("record " + key + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    private void checkHead(long sequence, byte[] hash) {
        byte[] head = meta.get(HEAD);
        if (head == null && sequence == 0) return;
        if (head == null) throw corrupt("the journal has records but no head", null);
        var in = new CanonicalReader(head);
        long headSequence = in.i64();
        byte[] headHash = in.fixed(Sha256.SIZE);
        if (headSequence != sequence || !Arrays.equals(headHash, hash)) {
            throw corrupt("the head names record " + headSequence + " but the journal ends at record " + sequence, null);
        }
    }

    /** Writes the next record and syncs it; returns only once it is durable. */
    void append(long time, java.util.List<Command> commands) {
        var record = new JournalRecord(lastSequence + 1, time, lastHash, commands);
        byte[] bytes = record.encode();
        byte[] hash = Sha256.hash(bytes);
        try {
            records.put(record.sequence(), bytes);
            meta.put(HEAD, new CanonicalWriter(48).i64(record.sequence()).fixed(hash, Sha256.SIZE).toByteArray());
            db.commit();
        } catch (RuntimeException e) {
            try {
                db.rollback();
            } catch (RuntimeException ignored) {
                // The ledger stops serving after a failed commit; the WAL decides what survives.
            }
            throw e;
        }
        lastSequence = record.sequence();
        lastHash = hash;
    }

    long lastSequence() {
        return lastSequence;
    }

    static LedgerStorageException corrupt(String message, Throwable cause) {
        return new LedgerStorageException(LedgerStorageException.Reason.CORRUPT,
                "the ledger is corrupt: " + message + "; it was left untouched", cause);
    }

    @Override
    public void close() {
        if (!db.isClosed()) db.close();
    }

    /** After a failed open: the first error is the one to report. */
    void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // A damaged file may fail to close too.
        }
    }
}
