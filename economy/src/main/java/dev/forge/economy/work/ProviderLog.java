package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One provider's log as a verifier rebuilds it: its attestations in chain order, the Merkle
 * tree over their digests, and the tree heads it signed. A head whose root is not the root of
 * the attestations it covers, or a second head for a size with another root, is kept as
 * evidence and makes the provider unverifiable from then on. Not thread-safe: one owner.
 */
public final class ProviderLog {
    /** Why a provider cannot be verified: the signed heads that contradict each other or the log. */
    public record Evidence(String reason, List<TreeHead> heads) {
        public Evidence {
            heads = List.copyOf(heads);
        }
    }

    private final String provider;
    private final Ed25519.PublicKey key;
    private final MerkleLog tree = new MerkleLog();
    private final Map<Long, TreeHead> headsBySize = new HashMap<>();
    private final List<Evidence> evidence = new ArrayList<>();
    private WorkVerifier.ChainTip tip = WorkVerifier.ChainTip.empty();

    public ProviderLog(String provider, Ed25519.PublicKey key) {
        this.provider = provider;
        this.key = key;
    }

    public WorkVerifier.ChainTip tip() {
        return tip;
    }

    public long size() {
        return tree.size();
    }

    /** Appends an attestation whose checks passed against {@link #tip()}. */
    public void append(SignedAttestation attestation) {
        WorkException.require(attestation.attestation().provider().equals(provider), "another provider's attestation");
        WorkException.require(attestation.attestation().logIndex() == tip.nextIndex()
                && Arrays.equals(attestation.attestation().previousDigest(), tip.lastDigest()), "out of chain order");
        tree.append(MerkleHash.leaf(attestation.digest()));
        tip = tip.after(attestation);
    }

    /**
     * Takes a signed head. A head beyond the attestations seen so far is kept and judged when
     * they arrive ({@link #judgePending()}); a head that contradicts is evidence.
     *
     * @return false when the head is refused: another provider, or a signature that fails
     */
    public boolean acceptHead(TreeHead head) {
        if (!head.provider().equals(provider) || !head.verifies(key)) return false;
        TreeHead earlier = headsBySize.putIfAbsent(head.size(), head);
        if (earlier != null && !Arrays.equals(earlier.root(), head.root())) {
            evidence.add(new Evidence("two roots signed for size " + head.size(), List.of(earlier, head)));
        }
        judgePending();
        return true;
    }

    /** Compares every head the log has now reached with the log's own root at that size. */
    public void judgePending() {
        for (TreeHead head : headsBySize.values()) {
            if (head.size() <= tree.size() && !Arrays.equals(tree.root(head.size()), head.root())
                    && evidence.stream().noneMatch(e -> e.heads().contains(head))) {
                evidence.add(new Evidence("the head for size " + head.size() + " is not the root of its attestations",
                        List.of(head)));
            }
        }
    }

    public boolean verifiable() {
        return evidence.isEmpty();
    }

    public List<Evidence> evidence() {
        return List.copyOf(evidence);
    }

    /** The inclusion proof of the attestation at {@code index} under the signed head of {@code size}. */
    public Optional<InclusionProof> proof(long index, long size) {
        TreeHead head = headsBySize.get(size);
        if (head == null || size > tree.size() || index >= size) return Optional.empty();
        return Optional.of(tree.proof(index, size));
    }

    public dev.forge.economy.merkle.ConsistencyProof consistency(long oldSize, long newSize) {
        return tree.consistency(oldSize, newSize);
    }
}
