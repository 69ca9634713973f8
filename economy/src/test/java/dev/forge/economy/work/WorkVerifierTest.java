package dev.forge.economy.work;

import static dev.forge.economy.work.WorkFixtures.BUYER;
import static dev.forge.economy.work.WorkFixtures.PROVIDER;
import static dev.forge.economy.work.WorkFixtures.STRANGER;
import static dev.forge.economy.work.WorkFixtures.T0;
import static dev.forge.economy.work.WorkFixtures.attestation;
import static dev.forge.economy.work.WorkFixtures.honestAmount;
import static dev.forge.economy.work.WorkFixtures.signedOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkVerifierTest {
    private final SignedWorkOrder order = signedOrder();
    private final Ed25519.PublicKey buyerKey = Ed25519.PublicKey.decode(BUYER.publicKey());
    private final Ed25519.PublicKey providerKey = Ed25519.PublicKey.decode(PROVIDER.publicKey());

    private WorkVerifier.Context context(Set<String> usedNonces, WorkVerifier.ChainTip tip, long now) {
        return new WorkVerifier.Context(now, "node-a", usedNonces::contains, tip);
    }

    private Verification verify(SignedAttestation attestation, WorkVerifier.Context context) {
        return WorkVerifier.verify(order, attestation, buyerKey, providerKey, context);
    }

    private String failure(SignedAttestation attestation, WorkVerifier.Context context) {
        return verify(attestation, context).firstFailure().orElseThrow().code();
    }

    private SignedAttestation honest() {
        return SignedAttestation.sign(attestation(order, honestAmount(), 0, Attestation.noPrevious()), PROVIDER);
    }

    private final WorkVerifier.Context fresh = context(Set.of(), WorkVerifier.ChainTip.empty(), T0 + 3_000);

    @Test
    void anHonestAttestationPassesEveryCheck() {
        Verification result = verify(honest(), fresh);
        assertTrue(result.verified(), result.toString());
        assertTrue(result.checks().stream().allMatch(Check::passed));
        assertEquals(15, result.checks().size());
    }

    @Test
    void theBindingChecksAloneAreEveryCheckButTheTwoSignatures() {
        SignedAttestation forged = SignedAttestation.sign(attestation(order, honestAmount(), 0, Attestation.noPrevious()), STRANGER);
        Verification binding = WorkVerifier.verifyBinding(order, forged, fresh);
        assertTrue(binding.verified(), "signatures are not its to check");
        assertEquals(verify(honest(), fresh).checks().subList(2, 15), binding.checks());
        var spent = context(Set.of(WorkVerifier.nonceKey(order.order())), WorkVerifier.ChainTip.empty(), T0 + 3_000);
        assertEquals("nonce_reused", WorkVerifier.verifyBinding(order, honest(), spent).firstFailure().orElseThrow().code());
    }

    @Test
    void eachCheatIsRefusedWithItsCode() {
        assertEquals("amount_exceeds_order", failure(SignedAttestation.sign(
                attestation(order, 5_001, 0, Attestation.noPrevious()), PROVIDER), fresh));
        assertEquals("amount_mismatch", failure(SignedAttestation.sign(
                attestation(order, honestAmount() + 1, 0, Attestation.noPrevious()), PROVIDER), fresh));
        assertEquals("invalid_signature", failure(SignedAttestation.sign(
                attestation(order, honestAmount(), 0, Attestation.noPrevious()), STRANGER), fresh));
        assertEquals("nonce_reused", failure(honest(),
                context(Set.of(WorkVerifier.nonceKey(order.order())), WorkVerifier.ChainTip.empty(), T0 + 3_000)));
        assertEquals("order_expired", failure(honest(), context(Set.of(), WorkVerifier.ChainTip.empty(), T0 + 60_001)));
        assertEquals("chain_gap", failure(honest(),
                context(Set.of(), new WorkVerifier.ChainTip(1, Attestation.noPrevious()), T0 + 3_000)));
        assertEquals("chain_broken", failure(SignedAttestation.sign(
                attestation(order, honestAmount(), 0, Sha256.hashText("elsewhere")), PROVIDER), fresh));
        var otherNode = new WorkVerifier.Context(T0 + 3_000, "node-b", s -> false, WorkVerifier.ChainTip.empty());
        assertEquals("wrong_audience", failure(honest(), otherNode));
    }

    @Test
    void anAttestationForAnotherOrderIsNotBound() {
        SignedWorkOrder other = SignedWorkOrder.sign(WorkFixtures.order(5_000, (byte) 2), BUYER);
        var forOther = SignedAttestation.sign(attestation(other, honestAmount(), 0, Attestation.noPrevious()), PROVIDER);
        assertEquals("order_mismatch", failure(forOther, fresh));
    }

    @Test
    void theChainLinksEachAttestationToTheOneBefore() {
        SignedAttestation first = honest();
        assertTrue(verify(first, fresh).verified());
        WorkVerifier.ChainTip tip = WorkVerifier.ChainTip.empty().after(first);
        SignedWorkOrder second = SignedWorkOrder.sign(WorkFixtures.order(5_000, (byte) 3), BUYER);
        var next = SignedAttestation.sign(attestation(second, honestAmount(), 1, first.digest()), PROVIDER);
        var result = WorkVerifier.verify(second, next, buyerKey, providerKey, context(Set.of(), tip, T0 + 3_000));
        assertTrue(result.verified(), result.toString());
    }

    @Test
    void flippingAnyBitOfEitherRecordIsCaught() {
        byte[] orderBytes = order.encode();
        byte[] attestationBytes = honest().encode();
        for (int bit = 0; bit < orderBytes.length * 8; bit++) {
            byte[] tampered = orderBytes.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(!WorkVerifier.verify(tampered, attestationBytes, buyerKey, providerKey, fresh).verified(),
                    "order bit " + bit);
        }
        for (int bit = 0; bit < attestationBytes.length * 8; bit++) {
            byte[] tampered = attestationBytes.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(!WorkVerifier.verify(orderBytes, tampered, buyerKey, providerKey, fresh).verified(),
                    "attestation bit " + bit);
        }
    }
}
