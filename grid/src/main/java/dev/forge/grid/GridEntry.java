package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.work.TreeHead;
import dev.forge.economy.work.WorkException;
import java.util.Arrays;

/**
 * One leaf of a node's log on the grid, signed by the node ({@value #TAG}, field by field in
 * docs/grid.md): the node's id and key, the leaf's index from 0, the digest of the entry before
 * (zeros at 0), the record, and the node's signed tree head for the log that ends with it. An
 * entry is a pure function of the ledger record, so publishing it again yields the same bytes.
 */
public record GridEntry(String nodeId, byte[] nodeKey, long index, byte[] previousDigest, GridRecord record,
                        TreeHead head, byte[] signature) {
    public static final String TAG = "forge/grid-entry/v1";
    /** Bound on a message: a larger one is refused before it is parsed. */
    public static final int MAX_BYTES = 64 * 1024;

    public GridEntry {
        GridRefusedException.require(nodeId != null && nodeId.startsWith(NodeIdentity.PREFIX) && nodeId.length() <= 64,
                GridRefusal.MALFORMED_ENTRY, "node id must be node-<hex>");
        nodeKey = Entries.key(nodeKey, "node key");
        GridRefusedException.require(index >= 0, GridRefusal.MALFORMED_ENTRY, "index must be 0 or more");
        GridRefusedException.require(previousDigest != null && previousDigest.length == Sha256.SIZE,
                GridRefusal.MALFORMED_ENTRY, "previous digest must be 32 bytes");
        previousDigest = previousDigest.clone();
        GridRefusedException.require(record != null && head != null, GridRefusal.MALFORMED_ENTRY, "record and head are required");
        GridRefusedException.require(signature != null && signature.length == Ed25519.SIGNATURE_SIZE,
                GridRefusal.MALFORMED_ENTRY, "signature must be 64 bytes");
        signature = signature.clone();
    }

    public static byte[] noPrevious() {
        return new byte[Sha256.SIZE];
    }

    /**
     * The node's entry for a ledger record: {@code root} is the node's ledger root with it
     * (the root of the first {@code index + 1} leaves).
     */
    public static GridEntry sign(NodeIdentity node, long index, byte[] previousDigest, GridRecord record, byte[] root) {
        TreeHead head = TreeHead.sign(node.id(), index + 1, root, record.settledAt(), node.key());
        byte[] signed = signedBytes(node.id(), node.publicKey(), index, previousDigest, record, head);
        return new GridEntry(node.id(), node.publicKey(), index, previousDigest, record, head, node.sign(signed));
    }

    private static byte[] signedBytes(String nodeId, byte[] nodeKey, long index, byte[] previous, GridRecord record,
                                      TreeHead head) {
        return write(new CanonicalWriter(1024), nodeId, nodeKey, index, previous, record, head).toByteArray();
    }

    private static CanonicalWriter write(CanonicalWriter out, String nodeId, byte[] nodeKey, long index, byte[] previous,
                                         GridRecord record, TreeHead head) {
        out.string(TAG).string(nodeId).fixed(nodeKey, Ed25519.PUBLIC_KEY_SIZE).i64(index).fixed(previous, Sha256.SIZE);
        return record.write(out).bytes(head.encode());
    }

    /**
     * Everything that needs no log state: the key is the one the id names, the node's two
     * signatures, the head is for this node and this size, the record is leaf {@code index}
     * and its own signatures and binding hold.
     */
    public void verify() {
        GridRefusedException.require(NodeIdentity.owns(nodeId, nodeKey), GridRefusal.FORGED_SIGNATURE,
                "the node key is not the key " + nodeId + " names");
        Ed25519.PublicKey key = Ed25519.PublicKey.decode(nodeKey);
        GridRefusedException.require(key != null && key.verify(signedBytes(), signature), GridRefusal.FORGED_SIGNATURE,
                "the entry's signature does not verify with " + nodeId + "'s key");
        GridRefusedException.require(head.verifies(key), GridRefusal.FORGED_SIGNATURE, "the tree head's signature does not verify");
        GridRefusedException.require(head.provider().equals(nodeId) && head.size() == index + 1, GridRefusal.BINDING_MISMATCH,
                "the tree head is not " + nodeId + "'s head for size " + (index + 1));
        GridRefusedException.require(record.id() == index + 1, GridRefusal.BINDING_MISMATCH,
                "record " + record.id() + " cannot be leaf " + index);
        record.verify();
    }

    public byte[] signedBytes() {
        return signedBytes(nodeId, nodeKey, index, previousDigest, record, head);
    }

    public byte[] encode() {
        return write(new CanonicalWriter(1100), nodeId, nodeKey, index, previousDigest, record, head)
                .fixed(signature, Ed25519.SIGNATURE_SIZE).toByteArray();
    }

    /** SHA-256 of {@link #encode()}: what the next entry names as its previous digest. */
    public byte[] digest() {
        return Sha256.hash(encode());
    }

    /** The stream's de-duplication id: one per node and index. */
    public String messageId() {
        return nodeId + ":" + index;
    }

    /** Parses an entry; anything but its canonical bytes is {@link GridRefusal#MALFORMED_ENTRY}. */
    public static GridEntry decode(byte[] bytes) {
        GridRefusedException.require(bytes != null && bytes.length <= MAX_BYTES, GridRefusal.MALFORMED_ENTRY,
                "an entry is at most " + MAX_BYTES + " bytes");
        try {
            var in = new CanonicalReader(bytes);
            GridRefusedException.require(TAG.equals(in.string()), GridRefusal.MALFORMED_ENTRY, "not a " + TAG);
            String nodeId = in.string();
            byte[] nodeKey = in.fixed(Ed25519.PUBLIC_KEY_SIZE);
            long index = in.i64();
            byte[] previous = in.fixed(Sha256.SIZE);
            GridRecord record = GridRecord.read(in);
            TreeHead head = TreeHead.decode(in.bytes());
            var entry = new GridEntry(nodeId, nodeKey, index, previous, record, head, in.fixed(Ed25519.SIGNATURE_SIZE));
            in.expectEnd();
            return entry;
        } catch (MalformedEncodingException | LedgerException | WorkException | IllegalArgumentException e) {
            throw new GridRefusedException(GridRefusal.MALFORMED_ENTRY, "entry bytes are malformed: " + e.getMessage());
        }
    }

    @Override
    public byte[] nodeKey() {
        return nodeKey.clone();
    }

    @Override
    public byte[] previousDigest() {
        return previousDigest.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GridEntry e && Arrays.equals(encode(), e.encode());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + nodeId.hashCode();
    }
}
