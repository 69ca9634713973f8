package dev.forge.economy.ledger;

import java.io.File;
import java.nio.ByteBuffer;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/** A MapDB volume that passes every call to another; subclasses change what they must. */
class ForwardingVolume extends Volume {
    protected final Volume base;

    ForwardingVolume(Volume base) {
        this.base = base;
    }

    @Override public void ensureAvailable(long offset) { base.ensureAvailable(offset); }
    @Override public void truncate(long size) { base.truncate(size); }
    @Override public void putLong(long offset, long value) { base.putLong(offset, value); }
    @Override public void putInt(long offset, int value) { base.putInt(offset, value); }
    @Override public void putByte(long offset, byte value) { base.putByte(offset, value); }
    @Override public void putData(long offset, byte[] src, int srcPos, int srcSize) { base.putData(offset, src, srcPos, srcSize); }
    @Override public void putData(long offset, ByteBuffer buf) { base.putData(offset, buf); }
    @Override public long getLong(long offset) { return base.getLong(offset); }
    @Override public int getInt(long offset) { return base.getInt(offset); }
    @Override public byte getByte(long offset) { return base.getByte(offset); }
    @Override public DataInput2 getDataInput(long offset, int size) { return base.getDataInput(offset, size); }
    @Override public void getData(long offset, byte[] bytes, int bytesPos, int size) { base.getData(offset, bytes, bytesPos, size); }
    @Override public void clear(long startOffset, long endOffset) { base.clear(startOffset, endOffset); }
    @Override public void sync() { base.sync(); }
    @Override public int sliceSize() { return base.sliceSize(); }
    @Override public boolean isSliced() { return base.isSliced(); }
    @Override public long length() { return base.length(); }
    @Override public boolean isReadOnly() { return base.isReadOnly(); }
    @Override public File getFile() { return base.getFile(); }
    @Override public boolean getFileLocked() { return base.getFileLocked(); }
    @Override public boolean fileLoad() { return base.fileLoad(); }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) base.close();
    }
}
