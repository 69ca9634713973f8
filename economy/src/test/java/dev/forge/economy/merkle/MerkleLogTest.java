package dev.forge.economy.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleLogTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The leaves and roots of Certificate Transparency's RFC 6962 test vectors. */
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
    private static final String[] ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    @Test
    void matchesCertificateTransparencyVectors() {
        var log = new MerkleLog();
        for (int i = 0; i < LEAVES.length; i++) {
            log.append(MerkleHash.leaf(HEX.parseHex(LEAVES[i])));
            assertEquals(ROOTS[i], HEX.formatHex(log.root()), "root of " + (i + 1) + " leaves");
        }
        for (int size = 1; size <= LEAVES.length; size++) {
            assertEquals(ROOTS[size - 1], HEX.formatHex(log.root(size)), "historical root of " + size);
        }
    }

    @Test
    void emptyTreeRootIsHashOfNothing() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HEX.formatHex(new MerkleLog().root()));
    }

    @Test
    void incrementalRootEqualsRecursiveDefinitionForEverySize() {
        var log = new MerkleLog();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] leaf = MerkleHash.leaf(("leaf " + i).getBytes());
            leaves.add(leaf);
            log.append(leaf);
            assertArrayEquals(reference(leaves, 0, leaves.size()), log.root(), "size " + leaves.size());
        }
    }

    @Test
    void everyProofVerifiesAndOnlyAgainstItsOwnLeafAndRoot() {
        var log = new MerkleLog();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(MerkleHash.leaf(new byte[]{(byte) i}));
            log.append(leaves.getLast());
        }
        for (int size = 1; size <= 70; size++) {
            byte[] root = log.root(size);
            for (int leaf = 0; leaf < size; leaf++) {
                InclusionProof proof = log.proof(leaf, size);
                assertTrue(proof.verify(leaves.get(leaf), root), "leaf " + leaf + " of " + size);
                int other = (leaf + 1) % size;
                if (other != leaf) assertFalse(proof.verify(leaves.get(other), root), "wrong leaf accepted");
                assertFalse(proof.verify(leaves.get(leaf), MerkleHash.leaf(root)), "wrong root accepted");
            }
        }
    }

    @Test
    void tamperedTruncatedOrMisplacedProofsFail() {
        var log = new MerkleLog();
        for (int i = 0; i < 1000; i++) log.append(MerkleHash.leaf(Integer.toString(i).getBytes()));
        byte[] leaf = log.leafHash(417);
        InclusionProof proof = log.proof(417);
        assertTrue(proof.verify(leaf, log.root()));
        List<byte[]> tampered = new ArrayList<>(proof.path());
        byte[] flipped = tampered.get(3).clone();
        flipped[0] ^= 1;
        tampered.set(3, flipped);
        assertFalse(new InclusionProof(417, 1000, tampered).verify(leaf, log.root()));
        assertFalse(new InclusionProof(417, 1000, proof.path().subList(0, proof.path().size() - 1)).verify(leaf, log.root()));
        assertFalse(new InclusionProof(416, 1000, proof.path()).verify(leaf, log.root()));
        assertFalse(new InclusionProof(417, 2000, proof.path()).verify(leaf, log.root()), "path too short for the size");
    }

    @Test
    void refusesLeavesOutsideTheTree() {
        var log = new MerkleLog();
        log.append(MerkleHash.leaf(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> log.proof(1));
        assertThrows(IllegalArgumentException.class, () -> log.proof(0, 2));
        assertThrows(IllegalArgumentException.class, () -> log.root(2));
        assertThrows(IllegalArgumentException.class, () -> log.append(new byte[31]));
    }

    /** MTH from RFC 6962 section 2.1, written the slow, obvious way. */
    private static byte[] reference(List<byte[]> leaves, int start, int end) {
        int n = end - start;
        if (n == 1) return leaves.get(start);
        int k = Integer.highestOneBit(n - 1);
        return MerkleHash.node(reference(leaves, start, start + k), reference(leaves, start + k, end));
    }

    @Test
    void referenceAgreesWithVectorsToo() {
        List<byte[]> leaves = Arrays.stream(LEAVES).map(h -> MerkleHash.leaf(HEX.parseHex(h))).toList();
        assertEquals(ROOTS[7], HEX.formatHex(reference(leaves, 0, 8)));
    }
}
