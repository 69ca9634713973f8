package dev.forge.economy.merkle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsistencyProofTest {
    private static MerkleLog log(int leaves) {
        var log = new MerkleLog();
        for (int i = 0; i < leaves; i++) log.append(MerkleHash.leaf(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        return log;
    }

    @Test
    void everyOlderTreeIsProvenConsistentWithEveryNewerOne() {
        MerkleLog log = log(40);
        for (long m = 0; m <= 40; m++) {
            for (long n = m; n <= 40; n++) {
                ConsistencyProof proof = log.consistency(m, n);
                assertTrue(proof.verify(log.root(m), log.root(n)), m + " -> " + n);
            }
        }
    }

    @Test
    void aRewrittenHistoryFailsExactlyWhereTheOldTreeSawIt() {
        MerkleLog honest = log(13);
        var rewritten = new MerkleLog();
        for (int i = 0; i < 13; i++) {
            rewritten.append(MerkleHash.leaf((i == 4 ? "forged" : "leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (long m = 1; m < 13; m++) {
            boolean oldTreeHadTheLeaf = m > 4;
            boolean verifies = rewritten.consistency(m, 13).verify(honest.root(m), rewritten.root(13));
            assertTrue(verifies != oldTreeHadTheLeaf, "old size " + m);
        }
    }

    @Test
    void aDamagedProofFails() {
        MerkleLog log = log(21);
        for (long m = 1; m < 21; m++) {
            ConsistencyProof proof = log.consistency(m, 21);
            for (int i = 0; i < proof.path().size(); i++) {
                var path = new java.util.ArrayList<>(proof.path());
                byte[] damaged = path.get(i).clone();
                damaged[0] ^= 1;
                path.set(i, damaged);
                assertFalse(new ConsistencyProof(m, 21, path).verify(log.root(m), log.root(21)), m + " element " + i);
            }
        }
    }
}
