package dev.forge.economy.work;

import static dev.forge.economy.work.WorkFixtures.BUYER;
import static dev.forge.economy.work.WorkFixtures.PROVIDER;
import static dev.forge.economy.work.WorkFixtures.STRANGER;
import static dev.forge.economy.work.WorkFixtures.T0;
import static dev.forge.economy.work.WorkFixtures.attestation;
import static dev.forge.economy.work.WorkFixtures.honestAmount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.MerkleHash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderLogTest {
    private final Ed25519.PublicKey providerKey = Ed25519.PublicKey.decode(PROVIDER.publicKey());

    /** What the provider itself keeps: its chain of attestations. */
    private List<SignedAttestation> chain(int length) {
        List<SignedAttestation> chain = new ArrayList<>();
        byte[] previous = Attestation.noPrevious();
        for (int i = 0; i < length; i++) {
            var order = SignedWorkOrder.sign(WorkFixtures.order(5_000, (byte) (i + 1)), BUYER);
            var signed = SignedAttestation.sign(attestation(order, honestAmount(), i, previous), PROVIDER);
            chain.add(signed);
            previous = signed.digest();
        }
        return chain;
    }

    private ProviderLog rebuilt(List<SignedAttestation> chain) {
        var log = new ProviderLog("bob", providerKey);
        chain.forEach(log::append);
        return log;
    }

    @Test
    void honestHeadsProveInclusionAndConsistency() {
        var chain = chain(9);
        var verifier = rebuilt(chain);
        var tree = new dev.forge.economy.merkle.MerkleLog();
        chain.forEach(a -> tree.append(MerkleHash.leaf(a.digest())));
        TreeHead at5 = TreeHead.sign("bob", 5, tree.root(5), T0 + 5, PROVIDER);
        TreeHead at9 = TreeHead.sign("bob", 9, tree.root(9), T0 + 9, PROVIDER);
        assertTrue(verifier.acceptHead(at5));
        assertTrue(verifier.acceptHead(at9));
        assertTrue(verifier.verifiable());
        assertTrue(verifier.proof(3, 5).orElseThrow().verify(MerkleHash.leaf(chain.get(3).digest()), at5.root()));
        assertTrue(verifier.consistency(5, 9).verify(at5.root(), at9.root()));
        assertEquals(TreeHead.decode(at9.encode()), at9);
    }

    @Test
    void twoRootsForOneSizeAreKeptAsEvidence() {
        var verifier = rebuilt(chain(4));
        var tree = new dev.forge.economy.merkle.MerkleLog();
        chain(4).forEach(a -> tree.append(MerkleHash.leaf(a.digest())));
        assertTrue(verifier.acceptHead(TreeHead.sign("bob", 4, tree.root(4), T0, PROVIDER)));
        assertTrue(verifier.acceptHead(TreeHead.sign("bob", 4, Sha256.hashText("another story"), T0 + 1, PROVIDER)));
        assertFalse(verifier.verifiable());
        assertEquals(2, verifier.evidence().getFirst().heads().size());
    }

    @Test
    void aHeadThatIsNotTheRootOfItsAttestationsIsEvidenceOnceTheyArrive() {
        var chain = chain(3);
        var verifier = new ProviderLog("bob", providerKey);
        verifier.append(chain.getFirst());
        assertTrue(verifier.acceptHead(TreeHead.sign("bob", 3, Sha256.hashText("not these"), T0, PROVIDER)));
        assertTrue(verifier.verifiable(), "a head ahead of the log is judged later");
        verifier.append(chain.get(1));
        verifier.append(chain.get(2));
        verifier.judgePending();
        assertFalse(verifier.verifiable());
    }

    @Test
    void aHeadSignedByAnotherKeyIsRefused() {
        var verifier = rebuilt(chain(2));
        assertFalse(verifier.acceptHead(TreeHead.sign("bob", 2, Sha256.hashText("x"), T0, STRANGER)));
        assertTrue(verifier.verifiable());
    }
}
