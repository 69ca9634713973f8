package dev.forge.economy.merkle;

import java.util.Arrays;
import java.util.List;

/**
 * Proof that the tree of {@code newSize} leaves extends the tree of {@code oldSize} leaves
 * (RFC 6962 section 2.1.2): nothing before {@code oldSize} was changed or removed.
 */
public record ConsistencyProof(long oldSize, long newSize, List<byte[]> path) {
    public ConsistencyProof {
        if (oldSize < 0 || oldSize > newSize) throw new IllegalArgumentException("sizes out of order");
        path = path.stream().map(byte[]::clone).toList();
    }

    /** Checks the proof with nothing but hashing (RFC 9162 section 2.1.4.2). */
    public boolean verify(byte[] oldRoot, byte[] newRoot) {
        if (oldSize == newSize) return path.isEmpty() && Arrays.equals(oldRoot, newRoot);
        if (oldSize == 0) return path.isEmpty();
        List<byte[]> nodes = Long.bitCount(oldSize) == 1 ? prepend(oldRoot) : path;
        if (nodes.isEmpty()) return false;
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = nodes.getFirst();
        byte[] sr = nodes.getFirst();
        for (byte[] c : nodes.subList(1, nodes.size())) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot);
    }

    private List<byte[]> prepend(byte[] oldRoot) {
        var nodes = new java.util.ArrayList<byte[]>(path.size() + 1);
        nodes.add(oldRoot);
        nodes.addAll(path);
        return nodes;
    }
}
