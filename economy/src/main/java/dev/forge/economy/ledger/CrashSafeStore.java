package dev.forge.economy.ledger;

import java.nio.file.Path;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.StoreWAL;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.VolumeFactory;

/**
 * A transactional MapDB file whose commits survive a kill: what
 * {@code DBMaker.fileDB(file).fileChannelEnable().transactionEnable().make()} builds, with the
 * store's volume behind {@link RedoVolume}. MapDB 3.1 alone can tear its store when killed inside
 * a commit (docs/ledger.md, "Durability"), so every durable store of a node opens through here:
 * the ledger's journal, the work store, the safety store and the grid applier's store.
 */
public final class CrashSafeStore {
    private CrashSafeStore() {}

    /**
     * Opens (or creates) {@code file}, first finishing a commit a kill interrupted.
     *
     * @throws LedgerException {@code CORRUPT} when a redo file beside it is not a complete one of ours
     *     for this file
     */
    public static DB open(Path file) {
        return open(file, FileChannelVol.FACTORY);
    }

    /** As {@link #open(Path)}, with {@code volumes} opening the files (tests pass one that stops writing). */
    static DB open(Path file, VolumeFactory volumes) {
        String name = file.toString();
        var factory = new RedoVolume.Factory(volumes, name);
        boolean exists = factory.exists(name);
        var store = StoreWAL.make(name, factory, 0L, true, CC.STORE_DIRECT_CONC_SHIFT, 0L, 0L,
                false, false, false, true, false);
        return new DB(store, exists, true, Thread.currentThread().getContextClassLoader(), 0);
    }
}
