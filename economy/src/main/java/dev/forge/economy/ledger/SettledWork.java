package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;

/**
 * Work the ledger paid for: the order, the attestation that verified against it, the transfer
 * that paid the provider, and its place in the Merkle log it shares with trades.
 *
 * @param id 1, 2, 3, ... in commit order, from the same sequence as {@link Trade#id()}: leaf {@code id - 1}
 * @param orderId the {@link AcceptedOrder#id()} it settled
 * @param transferId the transfer that paid the provider; when it was owed nothing, the void of the hold
 * @param buyerBalance the buyer's posted balance right after the settlement, µCU, computed in the same writer step
 * @param providerBalance the provider's posted balance right after it, likewise
 */
public record SettledWork(long id, long orderId, SignedWorkOrder order, SignedAttestation attestation, long transferId,
                          long settledAt, long buyerBalance, long providerBalance) {
    static final String TAG = "forge/settled-work/v1";

    /** Settled work as its bytes carry it (another node's, say): the settle's balances are not among them. */
    public SettledWork(long id, long orderId, SignedWorkOrder order, SignedAttestation attestation, long transferId, long settledAt) {
        this(id, orderId, order, attestation, transferId, settledAt, Trade.UNKNOWN_BALANCE, Trade.UNKNOWN_BALANCE);
    }

    /** The same settlement without this ledger's balances, as it reads anywhere else. */
    public SettledWork withoutBalances() {
        return new SettledWork(id, orderId, order, attestation, transferId, settledAt);
    }

    /** The canonical bytes of the Merkle leaf; both records are self-delimiting, so no lengths. The balances are not in it. */
    public byte[] leafBytes() {
        byte[] orderBytes = order.encode();
        byte[] attestationBytes = attestation.encode();
        return new CanonicalWriter(64 + orderBytes.length + attestationBytes.length)
                .string(TAG).i64(id).i64(orderId).i64(transferId).i64(settledAt)
                .fixed(orderBytes, orderBytes.length).fixed(attestationBytes, attestationBytes.length).toByteArray();
    }

    public byte[] leafHash() {
        return MerkleHash.leaf(leafBytes());
    }

    public String provider() {
        return attestation.attestation().provider();
    }

    /** What the provider received: the attested amount and the order's reward. */
    public long paid() {
        return attestation.attestation().amount() + order.order().reward();
    }
}
