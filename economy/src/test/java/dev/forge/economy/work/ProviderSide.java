package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A provider as the checks meet it: its own key, its bodies in a real folder, its own Merkle
 * tree over its chain and the heads it signs, served as {@link LogProofs}. It can be told to
 * go silent (no answer) or to stop serving its log (gone), as a provider that leaves would.
 */
final class ProviderSide implements LogProofs {
    static final byte[] MODEL = Sha256.hashText("tiny model folder");

    final String id;
    final Ed25519.KeyPair key;
    final FolderBodies bodies;
    final Engine engine;
    final MerkleLog tree = new MerkleLog();
    final List<SignedAttestation> chain = new ArrayList<>();
    TreeHead head;
    boolean serving = true;
    boolean silent;

    ProviderSide(String id, Ed25519.KeyPair key, Path folder, Engine engine) {
        this.id = id;
        this.key = key;
        this.bodies = new FolderBodies(folder);
        this.engine = engine;
    }

    Ed25519.PublicKey publicKey() {
        return Ed25519.PublicKey.decode(key.publicKey());
    }

    /** A chat order for this provider whose input digest is that of {@code input}. */
    static SignedWorkOrder chatOrder(String provider, byte[] input, long nonce, long expiresAt) {
        return order(provider, WorkKind.INFERENCE_CHAT, input, new Replay(16, 0, 42, List.of()), nonce, expiresAt);
    }

    static SignedWorkOrder order(String provider, WorkKind kind, byte[] input, Replay replay, long nonce, long expiresAt) {
        byte[] nonceBytes = java.nio.ByteBuffer.allocate(WorkOrder.NONCE_SIZE).putLong(8, nonce).array();
        var order = new WorkOrder("alice", provider, kind, "tiny", MODEL, "", Sha256.hash(input), replay, 1_000_000, 0,
                nonceBytes, "node-a", expiresAt, WorkOrder.Signer.BUYER);
        return SignedWorkOrder.sign(order, WorkFixtures.BUYER);
    }

    /** Runs the order honestly with {@link TinyModel}, stores both bodies, attests, logs and signs a new head. */
    Chain deliver(SignedWorkOrder order, byte[] input, long at) {
        return deliver(order, input, TinyModel.run(order.order(), input, engine).output(), at);
    }

    /** Delivers {@code output} as this order's result, whatever it is: a forger attests what it likes. */
    Chain deliver(SignedWorkOrder order, byte[] input, byte[] output, long at) {
        try {
            bodies.put(input);
            bodies.put(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WorkOrder o = order.order();
        int completion = TinyModel.completionTokens(o, input);
        long price = 1_000;
        var attestation = new Attestation(order.digest(), id, MODEL, engine, o.replay(), o.inputDigest(), Sha256.hash(output),
                4, completion, "stop", price, Cu.cost(4L + completion, price), at - 5, at, chain.size(),
                chain.isEmpty() ? Attestation.noPrevious() : chain.getLast().digest());
        var signed = SignedAttestation.sign(attestation, key);
        chain.add(signed);
        tree.append(MerkleHash.leaf(signed.digest()));
        head = TreeHead.sign(id, tree.size(), tree.root(), at, key);
        return new Chain(order, signed, attestation.amount(), at);
    }

    @Override
    public Optional<TreeHead> latestHead(String provider) throws Bodies.Unreachable {
        answer();
        return serving && provider.equals(id) ? Optional.ofNullable(head) : Optional.empty();
    }

    @Override
    public Optional<InclusionProof> inclusion(String provider, long index, long treeSize) throws Bodies.Unreachable {
        answer();
        if (!serving || index >= treeSize || treeSize > tree.size()) return Optional.empty();
        return Optional.of(tree.proof(index, treeSize));
    }

    @Override
    public Optional<ConsistencyProof> consistency(String provider, long oldSize, long newSize) throws Bodies.Unreachable {
        answer();
        if (!serving || newSize > tree.size()) return Optional.empty();
        return Optional.of(tree.consistency(oldSize, newSize));
    }

    private void answer() throws Bodies.Unreachable {
        if (silent) throw new Bodies.Unreachable("connection refused");
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
