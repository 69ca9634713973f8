package dev.forge.node.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.work.Bodies;
import dev.forge.economy.work.LogProofs;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.TreeHead;
import dev.forge.economy.work.WorkVerifier;
import dev.forge.node.provide.AttestationLog;
import dev.forge.node.provide.BodyStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The node's own provider log, kept as any provider keeps one ({@link AttestationLog}: its
 * attestations in chain order, a signed tree head after each), and the bodies of the chats it
 * fulfilled ({@link BodyStore}, by SHA-256). The live checks read the node's chains from here
 * as they read another provider's from its server. Thread-safe: one lock over the log.
 */
final class NodeLog implements Bodies, LogProofs {
    static final String LOG = "node-log";
    static final String BODIES = "node-bodies";

    private final String provider;
    private final Ed25519.PublicKey key;
    private final AttestationLog log;
    private final BodyStore bodies;

    private NodeLog(String provider, Ed25519.KeyPair key, AttestationLog log, BodyStore bodies) {
        this.provider = provider;
        this.key = Ed25519.PublicKey.decode(key.publicKey());
        this.log = log;
        this.bodies = bodies;
    }

    /** Opens the log and bodies under {@code folder} (the work orders' folder) for the node's provider account. */
    static NodeLog open(Path folder, String provider, Ed25519.KeyPair nodeKey, InstantSource clock) {
        return new NodeLog(provider, nodeKey, AttestationLog.open(folder.resolve(LOG), provider, nodeKey, clock),
                new BodyStore(folder.resolve(BODIES)));
    }

    String provider() {
        return provider;
    }

    Ed25519.PublicKey key() {
        return key;
    }

    /** Where the node's next attestation must follow. */
    synchronized WorkVerifier.ChainTip tip() {
        return log.tip();
    }

    /** Keeps a body so that its chain can be checked for as long as the node keeps it. */
    void putBody(byte[] body) {
        bodies.put(body);
    }

    /** The attestation about to be settled for {@code orderId}, so a crash before {@link #append} is resolved at start. */
    synchronized void holdPending(long orderId, SignedAttestation attestation) {
        log.holdPending(orderId, attestation);
    }

    synchronized Optional<AttestationLog.Pending> pending() {
        return log.pending();
    }

    synchronized void dropPending() {
        log.dropPending();
    }

    /** Appends an attestation the ledger settled and signs the head over it. */
    synchronized TreeHead append(SignedAttestation attestation) {
        return log.append(attestation);
    }

    @Override
    public Optional<byte[]> fetch(byte[] digest) {
        return bodies.get(HexFormat.of().formatHex(digest));
    }

    @Override
    public synchronized Optional<TreeHead> latestHead(String provider) {
        return this.provider.equals(provider) ? Optional.of(log.head()) : Optional.empty();
    }

    @Override
    public synchronized Optional<InclusionProof> inclusion(String provider, long index, long treeSize) {
        return this.provider.equals(provider) ? log.inclusion(index, treeSize) : Optional.empty();
    }

    @Override
    public synchronized Optional<ConsistencyProof> consistency(String provider, long oldSize, long newSize) {
        return this.provider.equals(provider) ? log.consistency(oldSize, newSize) : Optional.empty();
    }
}
