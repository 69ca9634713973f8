package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * The ledger file's volume, made safe against a process killed while MapDB writes a commit
 * into it. MapDB 3.1's StoreWAL syncs its write-ahead log, then rewrites the store in place,
 * and never replays that log when it opens again: a kill in the middle of the rewrite leaves
 * a store whose tree nodes are half new and half old, which loses records committed long
 * before (the CI flake: "record 116 is missing").
 *
 * <p>So this volume holds every write MapDB makes to the store until MapDB syncs it (the end
 * of its commit), then writes them first to {@code ledger.db.redo} and syncs that, and only then
 * applies them to the store, syncs it and empties the redo file. Opening applies a complete redo
 * file again (the store may be half written) and drops an incomplete one (the store was not
 * touched). The format is in docs/ledger.md, "Durability".
 */
final class RedoVolume extends ForwardingVolume {
    static final String SUFFIX = ".redo";
    static final String TAG = "forge/ledger-redo/v1";
    /** One commit's writes; a ledger record is at most a few MB, so a larger redo file is not ours. */
    static final long MAX_BYTES = 1L << 30;

    private final Path redoFile;
    private final List<Write> pending = new ArrayList<>();

    private record Write(long offset, byte[] bytes) {}

    private RedoVolume(Volume base, Path redoFile) {
        super(base);
        this.redoFile = redoFile;
    }

    /** Opens the store's volume through {@code base}, first finishing a commit a kill interrupted. */
    static final class Factory extends VolumeFactory {
        private final VolumeFactory base;
        private final String storeFile;

        Factory(VolumeFactory base, String storeFile) {
            this.base = base;
            this.storeFile = storeFile;
        }

        @Override
        public Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize, boolean fixedSize) {
            if (!file.equals(storeFile)) return new UnsyncedLog(base.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize));
            Path redo = Path.of(storeFile + SUFFIX);
            if (!base.exists(file) && nonEmpty(redo)) {
                throw Journal.corrupt("its redo file " + redo + " is there but the ledger file it completes is not", null);
            }
            Volume volume = base.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
            try {
                recover(volume, redo);
            } catch (RuntimeException e) {
                volume.close();
                throw e;
            }
            return new RedoVolume(volume, redo);
        }

        @Override
        public boolean exists(String file) {
            return base.exists(file);
        }

        @Override
        public boolean handlesReadonly() {
            return base.handlesReadonly();
        }
    }

    /**
     * MapDB's own log files: MapDB 3.1 reads them only within the process that wrote them and
     * never after a restart, so syncing them buys nothing; the redo file is what survives a kill.
     */
    private static final class UnsyncedLog extends ForwardingVolume {
        UnsyncedLog(Volume base) {
            super(base);
        }

        @Override
        public void sync() {}
    }

    // ---- writes: held until sync ----

    @Override public void putLong(long offset, long value) { hold(offset, ByteBuffer.allocate(8).putLong(value).array()); }
    @Override public void putInt(long offset, int value) { hold(offset, ByteBuffer.allocate(4).putInt(value).array()); }
    @Override public void putByte(long offset, byte value) { hold(offset, new byte[] {value}); }
    @Override public void putData(long offset, byte[] src, int srcPos, int srcSize) { hold(offset, Arrays.copyOfRange(src, srcPos, srcPos + srcSize)); }

    @Override
    public void putData(long offset, ByteBuffer buf) {
        byte[] bytes = new byte[buf.remaining()];
        buf.duplicate().get(bytes);
        hold(offset, bytes);
    }

    @Override
    public void clear(long startOffset, long endOffset) {
        for (long at = startOffset; at < endOffset; at += 1 << 20) hold(at, new byte[(int) Math.min(1 << 20, endOffset - at)]);
    }

    private synchronized void hold(long offset, byte[] bytes) {
        pending.add(new Write(offset, bytes));
    }

    @Override
    public synchronized void truncate(long size) {
        if (!pending.isEmpty()) throw new IllegalStateException("truncate with unsynced writes");
        base.truncate(size);
    }

    /** The end of MapDB's commit: redo file first and synced, then the store. */
    @Override
    public synchronized void sync() {
        if (pending.isEmpty()) {
            base.sync();
            return;
        }
        try {
            writeRedo(redoFile, pending);
            apply(base, pending);
            emptyRedo(redoFile);
        } finally {
            pending.clear(); // after a failure the ledger stops; the redo file decides what the store holds
        }
    }

    // ---- reads: the store with the held writes over it ----

    @Override public long getLong(long offset) { return pendingEmpty() ? base.getLong(offset) : ByteBuffer.wrap(read(offset, 8)).getLong(); }
    @Override public int getInt(long offset) { return pendingEmpty() ? base.getInt(offset) : ByteBuffer.wrap(read(offset, 4)).getInt(); }
    @Override public byte getByte(long offset) { return pendingEmpty() ? base.getByte(offset) : read(offset, 1)[0]; }

    @Override
    public DataInput2 getDataInput(long offset, int size) {
        return pendingEmpty() ? base.getDataInput(offset, size) : new DataInput2.ByteArray(read(offset, size));
    }

    @Override
    public void getData(long offset, byte[] bytes, int bytesPos, int size) {
        if (pendingEmpty()) {
            base.getData(offset, bytes, bytesPos, size);
        } else {
            System.arraycopy(read(offset, size), 0, bytes, bytesPos, size);
        }
    }

    private synchronized boolean pendingEmpty() {
        return pending.isEmpty();
    }

    private synchronized byte[] read(long offset, int size) {
        byte[] out = new byte[size];
        long available = Math.min(size, Math.max(0, base.length() - offset));
        if (available > 0) base.getData(offset, out, 0, (int) available);
        for (Write write : pending) {
            long from = Math.max(offset, write.offset());
            long to = Math.min(offset + size, write.offset() + write.bytes().length);
            if (from < to) System.arraycopy(write.bytes(), (int) (from - write.offset()), out, (int) (from - offset), (int) (to - from));
        }
        return out;
    }

    // ---- the redo file ----

    /** Canonical bytes: tag, count, then each write (offset, length-prefixed bytes), then SHA-256 of all before. */
    static byte[] encode(List<Write> writes) {
        var out = new CanonicalWriter().string(TAG).i32(writes.size());
        for (Write write : writes) out.i64(write.offset()).block(write.bytes());
        byte[] body = out.toByteArray();
        return new CanonicalWriter(body.length + Sha256.SIZE).fixed(body, body.length).fixed(Sha256.hash(body), Sha256.SIZE).toByteArray();
    }

    /** The writes of a complete redo file; null for an empty or incomplete one (its commit never touched the store). */
    static List<Write> decode(byte[] bytes) {
        if (bytes.length < Sha256.SIZE) return null;
        byte[] body = Arrays.copyOf(bytes, bytes.length - Sha256.SIZE);
        byte[] hash = Arrays.copyOfRange(bytes, body.length, bytes.length);
        if (!Arrays.equals(Sha256.hash(body), hash)) return null;
        try {
            var in = new CanonicalReader(body);
            if (!in.string().equals(TAG)) throw Journal.corrupt("its redo file has another tag", null);
            int count = in.i32();
            if (count < 0) throw Journal.corrupt("its redo file has a negative count", null);
            List<Write> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long offset = in.i64();
                if (offset < 0) throw Journal.corrupt("its redo file writes at a negative offset", null);
                writes.add(new Write(offset, in.block()));
            }
            in.expectEnd();
            return writes;
        } catch (MalformedEncodingException e) {
            throw Journal.corrupt("its redo file is complete but malformed (" + e.getMessage() + ")", e);
        }
    }

    private static boolean nonEmpty(Path redo) {
        try {
            return Files.exists(redo) && Files.size(redo) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger's redo file " + redo, e);
        }
    }

    private static void recover(Volume store, Path redo) {
        if (!Files.exists(redo)) return;
        try {
            if (Files.size(redo) > MAX_BYTES) throw Journal.corrupt("its redo file is larger than " + MAX_BYTES + " bytes", null);
            List<Write> writes = decode(Files.readAllBytes(redo));
            if (writes != null) apply(store, writes);
            emptyRedo(redo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger's redo file " + redo, e);
        }
    }

    private static void apply(Volume store, List<Write> writes) {
        long end = 0;
        for (Write write : writes) end = Math.max(end, write.offset() + write.bytes().length);
        store.ensureAvailable(end);
        for (Write write : writes) store.putData(write.offset(), write.bytes(), 0, write.bytes().length);
        store.sync();
    }

    private static void writeRedo(Path redo, List<Write> writes) {
        byte[] bytes = encode(writes);
        try (FileChannel channel = FileChannel.open(redo, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            channel.truncate(0);
            var buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer, buffer.position());
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ledger's redo file " + redo, e);
        }
    }

    /** No sync needed: the next commit's redo file is written and synced before the store is touched again. */
    private static void emptyRedo(Path redo) {
        try (FileChannel channel = FileChannel.open(redo, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the ledger's redo file " + redo, e);
        }
    }
}
