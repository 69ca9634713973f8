package dev.forge.economy.merkle;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Proof that the leaf at {@code leafIndex} is in the tree of {@code treeSize} leaves: the
 * audit path of RFC 6962 section 2.1.1, siblings from the leaf upwards.
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {
    public InclusionProof {
        if (treeSize < 1 || leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of " + treeSize);
        }
        path = path.stream().map(byte[]::clone).toList();
    }

    public List<String> pathHex() {
        return path.stream().map(HexFormat.of()::formatHex).toList();
    }

    /**
     * Checks the proof against a root using nothing but hashing (RFC 9162 section 2.1.3.2):
     * a client that trusts only the root can check any trade it was shown.
     */
    public boolean verify(byte[] leafHash, byte[] root) {
        long index = leafIndex;
        long last = treeSize - 1;
        byte[] hash = leafHash;
        for (byte[] sibling : path) {
            if (last == 0) return false;
            if ((index & 1) == 1 || index == last) {
                hash = MerkleHash.node(sibling, hash);
                if ((index & 1) == 0) {
                    while ((index & 1) == 0 && index != 0) {
                        index >>= 1;
                        last >>= 1;
                    }
                }
            } else {
                hash = MerkleHash.node(hash, sibling);
            }
            index >>= 1;
            last >>= 1;
        }
        return last == 0 && Arrays.equals(hash, root);
    }

    public boolean verifyLeafData(byte[] leafData, byte[] root) {
        return verify(MerkleHash.leaf(leafData), root);
    }
}
