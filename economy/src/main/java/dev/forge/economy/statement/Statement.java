package dev.forge.economy.statement;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.merkle.InclusionProof;
import java.util.Arrays;
import java.util.List;

/**
 * An account's settlement statement for a period, signed by the node: every transfer that
 * touched it, its balance before and after, its trades with proofs of inclusion under the
 * Merkle root of the ledger at the time of the statement.
 *
 * @param from start of the period, inclusive, epoch ms
 * @param to end of the period, exclusive
 * @param opening posted balance before {@code from}, µCU
 * @param closing posted balance at {@code to}: opening + credits − debits
 * @param nodeKey the signing node's Ed25519 public key
 * @param signature the node's signature over {@link #signedBytes}
 */
public record Statement(String account, long from, long to, long opening, long closing, long debits, long credits,
                        List<Entry> entries, List<TradeProof> trades, long treeSize, byte[] merkleRoot, byte[] nodeKey,
                        byte[] signature) {
    static final String TAG = "forge/statement/v1";

    /**
     * One transfer, as it moved the account's posted balance (holds move nothing until posted).
     *
     * @param change the posted change to the account, µCU: positive in, negative out, 0 for a hold or a void
     */
    public record Entry(long transferId, long timestamp, String phase, String counterparty, long amount, long change,
                        int code) {
    }

    /** A trade of the account's, its leaf hash, and the proof that the root includes it. */
    public record TradeProof(long tradeId, String consumer, String provider, long amount, byte[] leafHash,
                             InclusionProof proof) {
    }

    public Statement {
        entries = List.copyOf(entries);
        trades = List.copyOf(trades);
        merkleRoot = merkleRoot.clone();
        nodeKey = nodeKey.clone();
        signature = signature.clone();
    }

    /** The canonical bytes the node signs: every field but the signature. */
    public byte[] signedBytes() {
        CanonicalWriter out = new CanonicalWriter(256).string(TAG).string(account).i64(from).i64(to).i64(opening)
                .i64(closing).i64(debits).i64(credits).i32(entries.size());
        for (Entry e : entries) {
            out.i64(e.transferId()).i64(e.timestamp()).string(e.phase()).string(e.counterparty()).i64(e.amount())
                    .i64(e.change()).i32(e.code());
        }
        out.i32(trades.size());
        for (TradeProof t : trades) {
            out.i64(t.tradeId()).string(t.consumer()).string(t.provider()).i64(t.amount()).bytes(t.leafHash())
                    .i64(t.proof().leafIndex()).i64(t.proof().treeSize()).i32(t.proof().path().size());
            t.proof().path().forEach(out::bytes);
        }
        return out.i64(treeSize).bytes(merkleRoot).bytes(nodeKey).toByteArray();
    }

    /** True if the node signed exactly this and every trade's proof leads to the root. */
    public boolean verify(byte[] expectedNodeKey) {
        if (!Arrays.equals(nodeKey, expectedNodeKey)) return false;
        if (!Ed25519.verify(nodeKey, signedBytes(), signature)) return false;
        return trades.stream().allMatch(t -> t.proof().verify(t.leafHash(), merkleRoot));
    }

    @Override
    public byte[] merkleRoot() {
        return merkleRoot.clone();
    }

    @Override
    public byte[] nodeKey() {
        return nodeKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
