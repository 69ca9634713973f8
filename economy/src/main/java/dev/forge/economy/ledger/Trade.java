package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.merkle.MerkleHash;

/**
 * A settled trade as the ledger records it: the dual-signed trade, the transfer that paid
 * for it, its place in the Merkle tree and when it was settled.
 *
 * @param id 1, 2, 3, ... in commit order; leaf {@code id - 1} of the Merkle tree
 * @param consumerBalance the consumer's posted balance right after this trade's payment, µCU: computed in
 *     the writer's step that applied it, so no other entry (a concurrent spend) shows in it
 * @param providerBalance the provider's posted balance right after the payment, likewise
 */
public record Trade(long id, SignedTrade signed, long transferId, long settledAt, long consumerBalance,
                    long providerBalance) {
    static final String TAG = "forge/settled-trade/v1";
    /** The balances of a trade read from its bytes, away from the ledger that settled it: not known there. */
    public static final long UNKNOWN_BALANCE = -1;

    /** A trade as its bytes carry it (another node's, say): the settle's balances are not among them. */
    public Trade(long id, SignedTrade signed, long transferId, long settledAt) {
        this(id, signed, transferId, settledAt, UNKNOWN_BALANCE, UNKNOWN_BALANCE);
    }

    /** The same trade without this ledger's balances, as it reads anywhere else. */
    public Trade withoutBalances() {
        return new Trade(id, signed, transferId, settledAt);
    }

    /** The canonical bytes of the Merkle leaf: anyone with the trade can recompute its hash. The balances are not in it. */
    public byte[] leafBytes() {
        var out = new CanonicalWriter(600).string(TAG).i64(id).i64(transferId).i64(settledAt);
        return signed.write(out).toByteArray();
    }

    public byte[] leafHash() {
        return MerkleHash.leaf(leafBytes());
    }

    public String consumer() {
        return signed.authorization().consumer();
    }

    public String provider() {
        return signed.authorization().provider();
    }

    public long amount() {
        return signed.delivery().amount();
    }
}
