package dev.forge.node.provide;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.TreeHead;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The provider's own log, append-only in its folder: every attestation the node settled, in
 * chain order ({@value #ATTESTATIONS}), and after each one a tree head signed over the log so
 * far ({@value #HEADS}). Each file is a sequence of records {@code u32 length ‖ bytes}. An
 * attestation is delivered first and appended only once the node settled it, because a refused
 * one does not move the provider's chain on the node; while it is out it waits in
 * {@value #PENDING} ({@code i64 order id ‖ attestation}), so a crash between the node's settle
 * and this append is resolved at the next start by asking the node. Not thread-safe: one owner.
 */
public final class AttestationLog {
    public static final String ATTESTATIONS = "attestations";
    public static final String HEADS = "heads";
    public static final String PENDING = "pending";
    private static final int MAX_RECORD = 64 << 10;

    /** An attestation delivered for an order whose outcome this provider has not seen yet. */
    public record Pending(long orderId, SignedAttestation attestation) {
    }

    private final Path folder;
    private final String provider;
    private final Ed25519.KeyPair key;
    private final InstantSource clock;
    private final MerkleLog tree = new MerkleLog();
    private final List<SignedAttestation> attestations = new ArrayList<>();
    private WorkVerifier.ChainTip tip = WorkVerifier.ChainTip.empty();
    private volatile TreeHead head; // read by the body server's threads

    private AttestationLog(Path folder, String provider, Ed25519.KeyPair key, InstantSource clock) {
        this.folder = folder;
        this.provider = provider;
        this.key = key;
        this.clock = clock;
    }

    /** Opens the log in {@code folder} for {@code provider}, checking every record it holds against the key. */
    public static AttestationLog open(Path folder, String provider, Ed25519.KeyPair key, InstantSource clock) {
        try {
            var log = new AttestationLog(PrivateFiles.folder(folder), provider, key, clock);
            for (byte[] bytes : readRecords(folder.resolve(ATTESTATIONS))) log.load(SignedAttestation.decode(bytes));
            List<byte[]> heads = readRecords(folder.resolve(HEADS));
            log.head = heads.isEmpty() ? log.signHead() : TreeHead.decode(heads.getLast());
            log.checkHead();
            return log;
        } catch (WorkException e) {
            throw new ProviderException("log_corrupt", "the log in " + folder + " cannot be read: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log in " + folder, e);
        }
    }

    private void load(SignedAttestation attestation) {
        if (!attestation.attestation().provider().equals(provider)) {
            throw new ProviderException("log_of_another_account", "the log in " + folder + " belongs to "
                    + attestation.attestation().provider() + ", not " + provider + ": give each account its own --folder");
        }
        if (!attestation.verifies(Ed25519.PublicKey.decode(key.publicKey()))) {
            throw new ProviderException("log_corrupt", "attestation " + attestations.size() + " in " + folder
                    + " is not signed by this folder's key");
        }
        addToTree(attestation);
    }

    private void addToTree(SignedAttestation attestation) {
        var a = attestation.attestation();
        if (a.logIndex() != tip.nextIndex() || !Arrays.equals(a.previousDigest(), tip.lastDigest())) {
            throw new ProviderException("log_corrupt", "attestation " + a.logIndex() + " in " + folder + " breaks the chain");
        }
        tree.append(MerkleHash.leaf(attestation.digest()));
        attestations.add(attestation);
        tip = tip.after(attestation);
    }

    private void checkHead() throws IOException {
        // A crash after an append and before its head leaves the head one behind: sign the missing one.
        if (head.size() < tree.size()) head = signHead();
        if (head.size() != tree.size() || !Arrays.equals(head.root(), tree.root())) {
            throw new ProviderException("log_corrupt", "the last tree head in " + folder + " is not the root of its attestations");
        }
    }

    public WorkVerifier.ChainTip tip() {
        return tip;
    }

    public long size() {
        return tree.size();
    }

    public TreeHead head() {
        return head;
    }

    /** The audit path of the attestation at {@code index} in the first {@code size}, or empty when the log has no such. */
    public Optional<InclusionProof> inclusion(long index, long size) {
        if (index < 0 || index >= size || size > tree.size()) return Optional.empty();
        return Optional.of(tree.proof(index, size));
    }

    /** That the first {@code oldSize} attestations start the first {@code newSize}, or empty when the log has not that many. */
    public Optional<ConsistencyProof> consistency(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize || newSize > tree.size()) return Optional.empty();
        return Optional.of(tree.consistency(oldSize, newSize));
    }

    public List<SignedAttestation> attestations() {
        return List.copyOf(attestations);
    }

    /** Appends an attestation the node settled, durably, then signs and stores the head over it. */
    public TreeHead append(SignedAttestation attestation) {
        addToTree(attestation);
        try {
            appendRecord(folder.resolve(ATTESTATIONS), attestation.encode());
            head = signHead();
            Files.deleteIfExists(folder.resolve(PENDING));
            return head;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the log in " + folder, e);
        }
    }

    private TreeHead signHead() throws IOException {
        TreeHead signed = TreeHead.sign(provider, tree.size(), tree.root(), Math.max(1, clock.millis()), key);
        appendRecord(folder.resolve(HEADS), signed.encode());
        return signed;
    }

    /** Records the attestation about to be delivered for {@code orderId}. */
    public void holdPending(long orderId, SignedAttestation attestation) {
        byte[] bytes = attestation.encode();
        try {
            PrivateFiles.write(folder.resolve(PENDING), ByteBuffer.allocate(8 + bytes.length).putLong(orderId).put(bytes).array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(PENDING), e);
        }
    }

    public Optional<Pending> pending() {
        Path file = folder.resolve(PENDING);
        try {
            if (!Files.exists(file)) return Optional.empty();
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            long orderId = bytes.getLong();
            byte[] rest = new byte[bytes.remaining()];
            bytes.get(rest);
            return Optional.of(new Pending(orderId, SignedAttestation.decode(rest)));
        } catch (IOException | java.nio.BufferUnderflowException | WorkException e) {
            throw new ProviderException("log_corrupt", file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Forgets the pending attestation: the node refused it, so the chain did not move. */
    public void dropPending() {
        try {
            Files.deleteIfExists(folder.resolve(PENDING));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder.resolve(PENDING), e);
        }
    }

    private static void appendRecord(Path file, byte[] bytes) throws IOException {
        if (!Files.exists(file)) Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_FILE));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer record = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
            while (record.hasRemaining()) out.write(record);
            out.force(true);
        }
    }

    /**
     * The records of a file. A torn last record (a crash mid-append) is cut off: it was never
     * followed by anything, and an attestation is appended only after the node settled it, so
     * the pending file still names it.
     */
    private static List<byte[]> readRecords(Path file) throws IOException {
        List<byte[]> records = new ArrayList<>();
        if (!Files.exists(file)) return records;
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        int end = 0;
        while (all.remaining() >= 4) {
            int length = all.getInt();
            if (length < 0 || length > MAX_RECORD) throw new WorkException(WorkException.Code.MALFORMED, file + " has a record of " + length + " bytes");
            if (all.remaining() < length) break;
            byte[] record = new byte[length];
            all.get(record);
            records.add(record);
            end = all.position();
        }
        if (end < all.capacity()) {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                out.truncate(end);
                out.force(true);
            }
        }
        return records;
    }
}
