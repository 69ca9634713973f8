package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/**
 * A refused entry as an applier keeps it: the code, whose entry it claimed to be, where in the
 * stream it came, a short reason, the refused bytes and, for an equivocation, the entry applied
 * before at that index. The two entries of an equivocation are each signed by the node: anyone
 * can check them with the node key alone.
 *
 * @param nodeId the claimed node, empty when the bytes did not parse
 * @param index the claimed index, -1 when the bytes did not parse
 */
public record GridEvidence(GridRefusal refusal, String nodeId, long index, long streamSequence, String reason,
                           byte[] entry, byte[] earlierEntry) {
    static final String TAG = "forge/grid-evidence/v1";
    private static final int MAX_REASON_CHARS = 200;

    public GridEvidence {
        reason = reason == null ? "" : reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        entry = entry == null ? new byte[0] : entry.clone();
        earlierEntry = earlierEntry == null ? new byte[0] : earlierEntry.clone();
    }

    byte[] encode() {
        return new CanonicalWriter(entry.length + earlierEntry.length + 300).string(TAG).string(refusal.code())
                .string(nodeId).i64(index).i64(streamSequence).string(reason).block(entry).block(earlierEntry).toByteArray();
    }

    static GridEvidence decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!TAG.equals(in.string())) throw new IllegalStateException("not grid evidence");
        var evidence = new GridEvidence(GridRefusal.ofCode(in.string()), in.string(), in.i64(), in.i64(), in.string(),
                in.block(), in.block());
        in.expectEnd();
        return evidence;
    }

    @Override
    public byte[] entry() {
        return entry.clone();
    }

    @Override
    public byte[] earlierEntry() {
        return earlierEntry.clone();
    }
}
