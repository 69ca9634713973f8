package dev.forge.grid;

import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.WorkVerifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the grid's stream to this node's view, each entry once and only after it verified:
 * the node's signatures and key, the record's own signatures and binding, and the node's log
 * order (the index is the next one and the previous digest the last entry's, the tree head the
 * root of the log with it). A refusal changes nothing but the evidence. Where it is in the
 * stream is stored with what it applied ({@link GridStore}), so after a gap or a restart a
 * {@link GridFollower} resumes from the next sequence.
 */
public final class GridApplier implements AutoCloseable {
    /** What became of one stream message. */
    public enum Outcome { APPLIED, REFUSED, ALREADY_HANDLED }

    private final GridStore store;

    private GridApplier(GridStore store) {
        this.store = store;
    }

    /** Opens (or creates) the applier's MapDB file in {@code directory}. */
    public static GridApplier open(Path directory) {
        return new GridApplier(GridStore.open(directory));
    }

    /** Applies the stream message at {@code sequence}; one at a time, in stream order. */
    public synchronized Outcome apply(String subject, byte[] data, long sequence) {
        if (sequence <= store.lastSequence()) return Outcome.ALREADY_HANDLED;
        GridEntry entry = null;
        try {
            entry = GridEntry.decode(data);
            WorkVerifier.ChainTip attestationTip = check(subject, entry);
            byte[] root = store.rootWith(entry.nodeId(), entry.record().leafHash());
            GridRefusedException.require(Arrays.equals(root, entry.head().root()), GridRefusal.BINDING_MISMATCH,
                    "the tree head is not the root of " + entry.nodeId() + "'s log with this entry");
            store.apply(entry, data, attestationTip, sequence);
            return Outcome.APPLIED;
        } catch (GridRefusedException refused) {
            store.refuse(evidence(refused, entry, data, sequence), sequence);
            return Outcome.REFUSED;
        }
    }

    /** Every check before the Merkle root; returns the attestation chain's new tip for work. */
    private WorkVerifier.ChainTip check(String subject, GridEntry entry) {
        GridRefusedException.require(GridStreams.subject(entry.nodeId()).equals(subject), GridRefusal.WRONG_SUBJECT,
                "an entry of " + entry.nodeId() + " on " + subject);
        entry.verify();
        GridStore.Tip tip = store.tip(entry.nodeId());
        GridRefusedException.require(!tip.unverifiable(), GridRefusal.PROVIDER_UNVERIFIABLE,
                entry.nodeId() + " signed two heads for one size before");
        if (entry.index() < tip.nextIndex()) {
            boolean same = store.entry(entry.nodeId(), entry.index())
                    .map(earlier -> Arrays.equals(earlier, entry.encode())).orElse(false);
            throw new GridRefusedException(same ? GridRefusal.DUPLICATE : GridRefusal.EQUIVOCATION,
                    (same ? "applied before: " : "a second entry signed for ") + entry.messageId());
        }
        GridRefusedException.require(entry.index() == tip.nextIndex(), GridRefusal.SEQUENCE_GAP,
                "index " + entry.index() + ", expected " + tip.nextIndex());
        GridRefusedException.require(Arrays.equals(entry.previousDigest(), tip.lastDigest()), GridRefusal.CHAIN_BROKEN,
                "the previous digest is not " + entry.nodeId() + "'s last entry");
        if (!(entry.record() instanceof GridRecord.WorkRecord work)) return null;
        // A purchase from another node: that node's own log carries the step of its chain.
        return work.purchaseIn(entry.nodeId()) ? null : attestationChain(work);
    }

    /** An attestation must follow the last one its provider key signed, as in the provider's own log. */
    private WorkVerifier.ChainTip attestationChain(GridRecord.WorkRecord work) {
        SignedAttestation signed = work.work().attestation();
        Attestation attestation = signed.attestation();
        WorkVerifier.ChainTip tip = store.attestationTip(work.providerKey());
        GridRefusedException.require(attestation.logIndex() >= tip.nextIndex(), GridRefusal.DUPLICATE,
                "attestation " + attestation.logIndex() + " of " + attestation.provider() + " was applied before");
        GridRefusedException.require(attestation.logIndex() == tip.nextIndex(), GridRefusal.SEQUENCE_GAP,
                "attestation " + attestation.logIndex() + " of " + attestation.provider() + ", expected " + tip.nextIndex());
        GridRefusedException.require(Arrays.equals(attestation.previousDigest(), tip.lastDigest()), GridRefusal.CHAIN_BROKEN,
                "the attestation does not follow " + attestation.provider() + "'s last one");
        return tip.after(signed);
    }

    private GridEvidence evidence(GridRefusedException refused, GridEntry entry, byte[] data, long sequence) {
        byte[] earlier = entry == null || refused.refusal() != GridRefusal.EQUIVOCATION ? null
                : store.entry(entry.nodeId(), entry.index()).orElse(null);
        return new GridEvidence(refused.refusal(), entry == null ? "" : entry.nodeId(), entry == null ? -1 : entry.index(),
                sequence, refused.getMessage(), data, earlier);
    }

    /**
     * Runs {@code read} between two stream messages: no entry is half-applied meanwhile (the
     * Merkle log grows before its entry commits), so heads, entries and flows read inside agree.
     */
    public synchronized <T> T betweenMessages(java.util.function.Supplier<T> read) {
        return read.get();
    }

    public long lastSequence() {
        return store.lastSequence();
    }

    /** Each node's log as applied: its size and root. */
    public Map<String, GridRoot.Head> heads() {
        return store.heads();
    }

    /** The grid root over {@link #heads()}. */
    public byte[] gridRoot() {
        return GridRoot.of(store.heads());
    }

    /**
     * Net µCU per account over every applied record, paid negative and earned positive; keys
     * are {@code <node id>/<account id>}, since account ids are unique within one ledger only.
     */
    public Map<String, Long> flows() {
        return store.flows();
    }

    /** Refusals counted by code. */
    public Map<String, Long> refusals() {
        return store.refusals();
    }

    /** Whether each node that published is still verifiable (never caught equivocating). */
    public Map<String, Boolean> verifiable() {
        return store.verifiable();
    }

    public List<GridEvidence> evidence() {
        return store.evidence(0);
    }

    /**
     * The evidence kept from position {@code from} on: the list only grows, so a reader that
     * remembers how many it has read reads only the new ones.
     */
    public List<GridEvidence> evidence(int from) {
        return store.evidence(from);
    }

    /**
     * Where {@code nodeId}'s log ends as applied here: the tip its own publisher resumes after when
     * the stream's last message on its subject is not its own.
     */
    public synchronized GridPublisher.Tip tip(String nodeId) {
        GridRoot.Head head = store.heads().get(nodeId);
        if (head == null) return new GridPublisher.Tip(0, GridEntry.noPrevious());
        GridEntry last = entry(nodeId, head.size() - 1).orElseThrow(() -> new IllegalStateException("an applied entry is missing"));
        return new GridPublisher.Tip(head.size(), last.digest());
    }

    /** The applied entry of {@code nodeId} at {@code index}. */
    public Optional<GridEntry> entry(String nodeId, long index) {
        return store.entry(nodeId, index).map(GridEntry::decode);
    }

    /** Inclusion of leaf {@code index} in the node's log of {@code size}: it verifies against that head's root. */
    public Optional<InclusionProof> proof(String nodeId, long index, long size) {
        MerkleLog log = store.log(nodeId);
        if (log == null || index < 0 || index >= size || size > log.size()) return Optional.empty();
        return Optional.of(log.proof(index, size));
    }

    public Optional<ConsistencyProof> consistency(String nodeId, long oldSize, long newSize) {
        MerkleLog log = store.log(nodeId);
        if (log == null || oldSize < 0 || oldSize > newSize || newSize > log.size()) return Optional.empty();
        return Optional.of(log.consistency(oldSize, newSize));
    }

    @Override
    public void close() {
        store.close();
    }
}
