package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.MerkleLog;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A node's signed settlement statement with one peer ({@value #TAG}, docs/grid.md): what the
 * issuer owes the peer and is owed by it, as the issuer's log says and as the peer's log says, the
 * two logs' sizes and roots it was computed at, the grid root then, and when. Anyone can
 * {@link #verify()} it with the key its issuer id names, and anyone holding the two logs can
 * {@link #mismatch redo the fold}.
 */
public record PeerStatement(String issuer, byte[] issuerKey, String peer, Sums issuerSays, Sums peerSays,
                            long issuerLogSize, byte[] issuerLogRoot, long peerLogSize, byte[] peerLogRoot, byte[] gridRoot,
                            long issuedAt, byte[] signature) {
    public static final String TAG = "forge/peer-statement/v1";
    /** The canonical bytes are about 330; nothing longer is read. */
    public static final int MAX_BYTES = 1024;

    /** What the issuer owes the peer and is owed by it, µCU, as one log records it. */
    public record Sums(long owes, long owed) {
        public Sums {
            if (owes < 0 || owed < 0) throw new IllegalArgumentException("a statement's sums are never negative");
        }

        static Sums of(PeerBalances.Recorded recorded) {
            return new Sums(recorded.owes(), recorded.owed());
        }
    }

    public PeerStatement {
        if (!PeerBalances.isNodeId(issuer) || !PeerBalances.isNodeId(peer) || issuer.equals(peer)) {
            throw new IllegalArgumentException("a statement is between two distinct node ids");
        }
        if (issuerSays == null || peerSays == null || issuerLogSize < 0 || peerLogSize < 0 || issuedAt <= 0) {
            throw new IllegalArgumentException("a statement needs its sums, sizes ≥ 0 and issued_at > 0");
        }
        issuerKey = fixed(issuerKey, Ed25519.PUBLIC_KEY_SIZE, "issuer key");
        issuerLogRoot = fixed(issuerLogRoot, Sha256.SIZE, "issuer log root");
        peerLogRoot = fixed(peerLogRoot, Sha256.SIZE, "peer log root");
        gridRoot = fixed(gridRoot, Sha256.SIZE, "grid root");
        signature = fixed(signature, Ed25519.SIGNATURE_SIZE, "signature");
    }

    /** The issuer's statement with {@code peer} from one snapshot of the fold, signed with its node key. */
    public static PeerStatement issue(NodeIdentity issuer, String peer, PeerBalances.Snapshot snapshot, long issuedAt) {
        String self = issuer.id();
        PeerBalances.Between between = snapshot.between(self, peer);
        var unsigned = new PeerStatement(self, issuer.publicKey(), peer, Sums.of(between.selfSays()), Sums.of(between.peerSays()),
                snapshot.size(self), snapshot.root(self), snapshot.size(peer), snapshot.root(peer), snapshot.gridRoot(), issuedAt,
                new byte[Ed25519.SIGNATURE_SIZE]);
        return unsigned.withSignature(issuer.sign(unsigned.signedBytes()));
    }

    private PeerStatement withSignature(byte[] signed) {
        return new PeerStatement(issuer, issuerKey, peer, issuerSays, peerSays, issuerLogSize, issuerLogRoot, peerLogSize,
                peerLogRoot, gridRoot, issuedAt, signed);
    }

    /** Whether both logs record the same sums between the two nodes. */
    public boolean agree() {
        return issuerSays.equals(peerSays);
    }

    /** Fields 1-14, the bytes the issuer signs. */
    public byte[] signedBytes() {
        return new CanonicalWriter(400).string(TAG).string(issuer).fixed(issuerKey, Ed25519.PUBLIC_KEY_SIZE).string(peer)
                .i64(issuerSays.owes()).i64(issuerSays.owed()).i64(peerSays.owes()).i64(peerSays.owed())
                .i64(issuerLogSize).fixed(issuerLogRoot, Sha256.SIZE).i64(peerLogSize).fixed(peerLogRoot, Sha256.SIZE)
                .fixed(gridRoot, Sha256.SIZE).i64(issuedAt).toByteArray();
    }

    /** The whole record: fields 1-14 then the signature. */
    public byte[] encode() {
        byte[] signed = signedBytes();
        byte[] out = Arrays.copyOf(signed, signed.length + Ed25519.SIGNATURE_SIZE);
        System.arraycopy(signature, 0, out, signed.length, Ed25519.SIGNATURE_SIZE);
        return out;
    }

    /** Parses the canonical bytes; anything else (a wrong tag, a bad field, bytes after the signature) is refused. */
    public static PeerStatement decode(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) throw new IllegalArgumentException("a peer statement is at most " + MAX_BYTES + " bytes");
        try {
            var in = new CanonicalReader(bytes);
            if (!TAG.equals(in.string())) throw new IllegalArgumentException("not a " + TAG);
            String issuer = in.string();
            byte[] issuerKey = in.fixed(Ed25519.PUBLIC_KEY_SIZE);
            String peer = in.string();
            var issuerSays = new Sums(in.i64(), in.i64());
            var peerSays = new Sums(in.i64(), in.i64());
            long issuerSize = in.i64();
            byte[] issuerRoot = in.fixed(Sha256.SIZE);
            long peerSize = in.i64();
            byte[] peerRoot = in.fixed(Sha256.SIZE);
            byte[] gridRoot = in.fixed(Sha256.SIZE);
            long issuedAt = in.i64();
            var statement = new PeerStatement(issuer, issuerKey, peer, issuerSays, peerSays, issuerSize, issuerRoot, peerSize,
                    peerRoot, gridRoot, issuedAt, in.fixed(Ed25519.SIGNATURE_SIZE));
            in.expectEnd();
            return statement;
        } catch (MalformedEncodingException e) {
            throw new IllegalArgumentException("peer statement bytes are malformed: " + e.getMessage(), e);
        }
    }

    /** True when the issuer key is the one the issuer id names and it signed exactly these fields. */
    public boolean verify() {
        return NodeIdentity.owns(issuer, issuerKey) && Ed25519.verify(issuerKey, signedBytes(), signature);
    }

    /**
     * The third party's check: given the issuer's and the peer's logs (their entries from index 0,
     * from the stream, any grid node, or the nodes' own ledgers), it verifies the statement, each
     * entry (signatures, node, index, chain), that the first {@code size} entries of each log have
     * the root the statement names, and that folding them gives the statement's four sums. Empty
     * when all of that holds; otherwise what does not.
     */
    public Optional<String> mismatch(List<GridEntry> issuerLog, List<GridEntry> peerLog) {
        if (!verify()) return Optional.of("the signature or the issuer key does not verify");
        Optional<String> problem = checkLog(issuer, issuerLog, issuerLogSize, issuerLogRoot)
                .or(() -> checkLog(peer, peerLog, peerLogSize, peerLogRoot));
        if (problem.isPresent()) return problem;
        PeerBalances.Recorded mine = PeerBalances.fold(issuer, peer, records(issuerLog, issuerLogSize));
        PeerBalances.Recorded theirs = PeerBalances.fold(peer, issuer, records(peerLog, peerLogSize));
        if (!Sums.of(mine).equals(issuerSays)) return Optional.of("the issuer's log folds to " + Sums.of(mine) + ", not " + issuerSays);
        var turned = new Sums(theirs.owed(), theirs.owes());
        if (!turned.equals(peerSays)) return Optional.of("the peer's log folds to " + turned + ", not " + peerSays);
        return Optional.empty();
    }

    private static Optional<String> checkLog(String node, List<GridEntry> log, long size, byte[] root) {
        if (log.size() < size) return Optional.of(node + "'s log has " + log.size() + " entries, the statement " + size);
        var merkle = new MerkleLog();
        byte[] previous = GridEntry.noPrevious();
        for (int index = 0; index < size; index++) {
            GridEntry entry = log.get(index);
            try {
                entry.verify();
            } catch (GridRefusedException e) {
                return Optional.of(node + "'s entry " + index + " does not verify: " + e.getMessage());
            }
            if (!entry.nodeId().equals(node) || entry.index() != index || !Arrays.equals(entry.previousDigest(), previous)) {
                return Optional.of(node + "'s entry " + index + " is not its log's entry " + index);
            }
            merkle.append(entry.record().leafHash());
            previous = entry.digest();
        }
        return Arrays.equals(merkle.root(), root) ? Optional.empty()
                : Optional.of(node + "'s log of " + size + " entries has another root than the statement's");
    }

    private static List<GridRecord> records(List<GridEntry> log, long size) {
        return log.subList(0, (int) size).stream().map(GridEntry::record).toList();
    }

    private static byte[] fixed(byte[] value, int size, String what) {
        if (value == null || value.length != size) throw new IllegalArgumentException(what + " must be " + size + " bytes");
        return value.clone();
    }

    @Override public byte[] issuerKey() { return issuerKey.clone(); }

    @Override public byte[] issuerLogRoot() { return issuerLogRoot.clone(); }

    @Override public byte[] peerLogRoot() { return peerLogRoot.clone(); }

    @Override public byte[] gridRoot() { return gridRoot.clone(); }

    @Override public byte[] signature() { return signature.clone(); }
}
