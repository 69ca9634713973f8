package dev.forge.economy.ledger;

import java.nio.ByteBuffer;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * MapDB's own file volumes, except that the ledger file takes only a chosen number of writes
 * more: the next one throws {@link Killed} and nothing after it reaches the file, as if the
 * process had died there. Every write MapDB issued before it is in the file, as after a SIGKILL
 * (the kernel keeps what was written; only what was never written is missing).
 */
final class StoppingVolumes extends VolumeFactory {
    static final class Killed extends RuntimeException {
        Killed() {
            super("killed at the chosen write");
        }
    }

    private long writesLeft = Long.MAX_VALUE;
    private long writes;
    private boolean dead;

    /** From now on the ledger file takes {@code count} writes, then the process "dies". */
    synchronized void stopAfter(long count) {
        writesLeft = count;
        writes = 0;
    }

    /** A new process: every write reaches the file again. */
    synchronized void revive() {
        dead = false;
        writesLeft = Long.MAX_VALUE;
    }

    /** Writes the ledger file took since {@link #stopAfter}. */
    synchronized long writes() {
        return writes;
    }

    private synchronized void write() {
        if (dead || writesLeft == 0) {
            dead = true;
            throw new Killed();
        }
        writesLeft--;
        writes++;
    }

    private synchronized boolean dead() {
        return dead;
    }

    @Override
    public Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize, boolean fixedSize) {
        Volume volume = FileChannelVol.FACTORY.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
        return file.endsWith(Journal.FILE_NAME) ? new Stopping(volume) : volume;
    }

    @Override
    public boolean exists(String file) {
        return FileChannelVol.FACTORY.exists(file);
    }

    @Override
    public boolean handlesReadonly() {
        return true;
    }

    private final class Stopping extends ForwardingVolume {
        Stopping(Volume base) {
            super(base);
        }

        @Override public void putLong(long offset, long value) { write(); super.putLong(offset, value); }
        @Override public void putInt(long offset, int value) { write(); super.putInt(offset, value); }
        @Override public void putByte(long offset, byte value) { write(); super.putByte(offset, value); }
        @Override public void putData(long offset, byte[] src, int srcPos, int srcSize) { write(); super.putData(offset, src, srcPos, srcSize); }
        @Override public void putData(long offset, ByteBuffer buf) { write(); super.putData(offset, buf); }
        @Override public void clear(long startOffset, long endOffset) { write(); super.clear(startOffset, endOffset); }
        @Override public void truncate(long size) { write(); super.truncate(size); }

        @Override
        public void sync() {
            if (dead()) throw new Killed();
            super.sync();
        }
    }
}
