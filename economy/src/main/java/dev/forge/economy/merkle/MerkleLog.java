package dev.forge.economy.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 6962 Merkle tree over leaf hashes.
 *
 * <p>Every complete subtree's hash is kept, level by level, so an append costs at most
 * log2(n) node hashes and a root or an inclusion proof for any earlier tree size costs
 * O(log² n) hashes at worst, never a pass over the leaves. At one million leaves the levels
 * hold about 64 MB.
 *
 * <p>Thread safety: one writer appends; readers ask for roots and proofs of sizes already
 * appended. Methods synchronize on the log, which is cheap next to the hashing.
 */
public final class MerkleLog {
    /** levels.get(k) holds the hashes of the complete subtrees of 2^k leaves, left to right. */
    private final List<HashArray> levels = new ArrayList<>();
    private long size;

    public MerkleLog() {
        levels.add(new HashArray());
    }

    public synchronized long size() {
        return size;
    }

    /** Appends a leaf hash (see {@link MerkleHash#leaf}) and returns its index. */
    public synchronized long append(byte[] leafHash) {
        if (leafHash.length != MerkleHash.SIZE) throw new IllegalArgumentException("leaf hash must be 32 bytes");
        long index = size;
        levels.getFirst().add(leafHash);
        byte[] hash = leafHash;
        long position = index;
        for (int level = 0; (position & 1) == 1; level++) {
            byte[] left = levels.get(level).get(position - 1);
            hash = MerkleHash.node(left, hash);
            if (levels.size() == level + 1) levels.add(new HashArray());
            levels.get(level + 1).add(hash);
            position >>= 1;
        }
        size++;
        return index;
    }

    public synchronized byte[] leafHash(long index) {
        checkIndex(index, size);
        return levels.getFirst().get(index);
    }

    public synchronized byte[] root() {
        return root(size);
    }

    /** The root the tree had when it held {@code treeSize} leaves. */
    public synchronized byte[] root(long treeSize) {
        if (treeSize < 0 || treeSize > size) throw new IllegalArgumentException("no tree of size " + treeSize);
        if (treeSize == 0) return MerkleHash.empty();
        return subtree(0, treeSize);
    }

    public synchronized InclusionProof proof(long leafIndex) {
        return proof(leafIndex, size);
    }

    /** The audit path of RFC 6962 section 2.1.1 for a leaf in the tree of {@code treeSize} leaves. */
    public synchronized InclusionProof proof(long leafIndex, long treeSize) {
        if (treeSize > size) throw new IllegalArgumentException("no tree of size " + treeSize);
        checkIndex(leafIndex, treeSize);
        List<byte[]> path = new ArrayList<>();
        collectPath(leafIndex, 0, treeSize, path);
        return new InclusionProof(leafIndex, treeSize, path);
    }

    /**
     * The consistency proof of RFC 6962 section 2.1.2: what a holder of the root at
     * {@code oldSize} needs to check that the tree at {@code newSize} only appended to it.
     */
    public synchronized ConsistencyProof consistency(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize || newSize > size) {
            throw new IllegalArgumentException("no consistency from " + oldSize + " to " + newSize + " in " + size);
        }
        List<byte[]> path = new ArrayList<>();
        if (oldSize > 0 && oldSize < newSize) collectConsistency(oldSize, 0, newSize, true, path);
        return new ConsistencyProof(oldSize, newSize, path);
    }

    private void collectConsistency(long m, long start, long count, boolean complete, List<byte[]> path) {
        if (m == count) {
            if (!complete) path.add(subtree(start, count));
            return;
        }
        long split = largestPowerOfTwoBelow(count);
        if (m <= split) {
            collectConsistency(m, start, split, complete, path);
            path.add(subtree(start + split, count - split));
        } else {
            collectConsistency(m - split, start + split, count - split, false, path);
            path.add(subtree(start, split));
        }
    }

    private void collectPath(long leaf, long start, long count, List<byte[]> path) {
        if (count == 1) return;
        long split = largestPowerOfTwoBelow(count);
        if (leaf < start + split) {
            collectPath(leaf, start, split, path);
            path.add(subtree(start + split, count - split));
        } else {
            collectPath(leaf, start + split, count - split, path);
            path.add(subtree(start, split));
        }
    }

    /** MTH(D[start : start + count]) for a range that RFC 6962's recursion can reach. */
    private byte[] subtree(long start, long count) {
        if (Long.bitCount(count) == 1) {
            int level = Long.numberOfTrailingZeros(count);
            return levels.get(level).get(start >> level);
        }
        long split = largestPowerOfTwoBelow(count);
        return MerkleHash.node(subtree(start, split), subtree(start + split, count - split));
    }

    static long largestPowerOfTwoBelow(long count) {
        return Long.highestOneBit(count - 1);
    }

    private static void checkIndex(long index, long treeSize) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize);
        }
    }

    /** A growable array of 32-byte hashes in one flat byte array: no per-hash object. */
    private static final class HashArray {
        private byte[] data = new byte[MerkleHash.SIZE * 64];
        private long count;

        void add(byte[] hash) {
            long offset = count * MerkleHash.SIZE;
            if (offset + MerkleHash.SIZE > data.length) grow();
            System.arraycopy(hash, 0, data, (int) offset, MerkleHash.SIZE);
            count++;
        }

        byte[] get(long index) {
            byte[] hash = new byte[MerkleHash.SIZE];
            System.arraycopy(data, Math.toIntExact(index * MerkleHash.SIZE), hash, 0, MerkleHash.SIZE);
            return hash;
        }

        private void grow() {
            long next = Math.min((long) data.length * 2, Integer.MAX_VALUE - 64);
            if (next <= data.length) throw new IllegalStateException("Merkle level is full");
            data = java.util.Arrays.copyOf(data, (int) next);
        }
    }
}
