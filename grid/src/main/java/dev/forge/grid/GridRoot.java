package dev.forge.grid;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The grid's one root: an RFC 6962 Merkle root over the applied tree head of every node, the
 * nodes in ascending order of their id's UTF-8 bytes (ids are ASCII, so this is String order).
 * Leaf i is SHA-256(0x00 ‖ {@value #TAG} ‖ node id ‖ size i64 ‖ root bytes32), in the canonical
 * encoding of docs/grid.md. It depends only on the set of heads, never on the order in which
 * entries arrived: two nodes that applied the same entries hold the same root.
 */
public final class GridRoot {
    public static final String TAG = "forge/grid-root-leaf/v1";

    /** A node's log as far as it was applied. */
    public record Head(long size, byte[] root) {
        public Head {
            if (size < 1 || root == null || root.length != Sha256.SIZE) throw new IllegalArgumentException("bad head");
            root = root.clone();
        }

        @Override
        public byte[] root() {
            return root.clone();
        }
    }

    private GridRoot() {}

    public static byte[] of(Map<String, Head> heads) {
        SortedMap<String, Head> sorted = new TreeMap<>(heads);
        var tree = new MerkleLog();
        sorted.forEach((nodeId, head) -> tree.append(MerkleHash.leaf(leafBytes(nodeId, head))));
        return tree.root();
    }

    public static byte[] leafBytes(String nodeId, Head head) {
        return new CanonicalWriter(128).string(TAG).string(nodeId).i64(head.size()).fixed(head.root, Sha256.SIZE)
                .toByteArray();
    }
}
