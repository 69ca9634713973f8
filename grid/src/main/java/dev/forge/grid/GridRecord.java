package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkVerifier;
import dev.forge.economy.work.WorkOrder;
import java.util.Arrays;

/**
 * One leaf of a node's ledger log as the grid carries it: a settled trade or settled work, with
 * the public keys of the accounts that signed it (the publishing node vouches for those by
 * signing the entry). Its leaf hash is the very leaf of the node's own ledger Merkle log.
 */
public sealed interface GridRecord {
    int TRADE = 1;
    int WORK = 2;
    /** Bound on one embedded record (a trade is about 400 bytes, work about 1.5 KB). */
    int MAX_RECORD_BYTES = 16 * 1024;
    /** How a ledger names the account that stands for another grid node (docs/grid.md, money between nodes). */
    String PEER = "peer:";

    /** The ledger's id of the record: 1, 2, 3, ... in the node's commit order. */
    long id();

    byte[] leafHash();

    /** When the node's ledger settled it, epoch ms: also the time of the entry's tree head. */
    long settledAt();

    /** Checks both signatures and the binding; throws {@link GridRefusedException}. */
    void verify();

    CanonicalWriter write(CanonicalWriter out);

    /**
     * Who paid {@link #amount()} µCU to {@link #payee}, as the ledger of {@code logNode} (the
     * node whose log holds the record) names it: what the grid folds per account.
     */
    String payer(String logNode);

    String payee(String logNode);

    long amount();

    /** A settled trade with the consumer's and the provider's public keys. */
    record TradeRecord(Trade trade, byte[] consumerKey, byte[] providerKey) implements GridRecord {
        public TradeRecord {
            consumerKey = Entries.key(consumerKey, "consumer key");
            providerKey = Entries.key(providerKey, "provider key");
        }

        @Override public long id() { return trade.id(); }

        @Override public byte[] leafHash() { return trade.leafHash(); }

        @Override public long settledAt() { return trade.settledAt(); }

        @Override public String payer(String logNode) { return trade.consumer(); }

        @Override public String payee(String logNode) { return trade.provider(); }

        @Override public long amount() { return trade.amount(); }

        @Override public byte[] consumerKey() { return consumerKey.clone(); }

        @Override public byte[] providerKey() { return providerKey.clone(); }

        @Override
        public void verify() {
            SignedTrade signed = trade.signed();
            GridRefusedException.require(Arrays.equals(signed.delivery().authorizationDigest(),
                    SignedTrade.authorizationDigest(signed.authorization(), signed.consumerSignature()))
                    && signed.delivery().amount() <= signed.authorization().maxAmount(), GridRefusal.BINDING_MISMATCH,
                    "the delivery is not bound to this authorization or charges more than it allows");
            try {
                signed.verify(consumerKey, providerKey);
            } catch (LedgerException e) {
                throw new GridRefusedException(GridRefusal.FORGED_SIGNATURE, e.getMessage());
            }
        }

        @Override
        public CanonicalWriter write(CanonicalWriter out) {
            return out.u8(TRADE).i64(trade.id()).i64(trade.transferId()).i64(trade.settledAt())
                    .block(trade.signed().encode())
                    .fixed(consumerKey, Ed25519.PUBLIC_KEY_SIZE).fixed(providerKey, Ed25519.PUBLIC_KEY_SIZE);
        }

        static TradeRecord read(CanonicalReader in) {
            long id = in.i64();
            long transferId = in.i64();
            long settledAt = in.i64();
            SignedTrade signed = SignedTrade.decode(Entries.record(in));
            return new TradeRecord(new Trade(id, signed, transferId, settledAt), in.fixed(Ed25519.PUBLIC_KEY_SIZE),
                    in.fixed(Ed25519.PUBLIC_KEY_SIZE));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TradeRecord r && trade.equals(r.trade) && Arrays.equals(consumerKey, r.consumerKey)
                    && Arrays.equals(providerKey, r.providerKey);
        }

        @Override
        public int hashCode() {
            return trade.hashCode();
        }
    }

    /** Settled work with the key that signed the order (buyer or custodian) and the provider's. */
    record WorkRecord(SettledWork work, byte[] orderKey, byte[] providerKey) implements GridRecord {
        public WorkRecord {
            orderKey = Entries.key(orderKey, "order key");
            providerKey = Entries.key(providerKey, "provider key");
        }

        @Override public long id() { return work.id(); }

        @Override public byte[] leafHash() { return work.leafHash(); }

        @Override public long settledAt() { return work.settledAt(); }

        /** On the provider node's ledger a remote order is paid by the buyer's home node's {@code peer:} account. */
        @Override
        public String payer(String logNode) {
            return remote() && !purchaseIn(logNode) ? PEER + NodeIdentity.idOf(orderKey) : work.order().order().buyer();
        }

        /** On the buyer's home node's ledger a remote order is paid to the provider node's {@code peer:} account. */
        @Override
        public String payee(String logNode) {
            return purchaseIn(logNode) ? PEER + work.order().order().audience() : work.provider();
        }

        /**
         * Remote work (docs/grid.md): an order whose audience is a grid node id, signed in custody
         * by the buyer's home node key. It is a leaf of both nodes' logs.
         */
        public boolean remote() {
            WorkOrder order = work.order().order();
            return NodeIdentity.isId(order.audience()) && order.signer() == WorkOrder.Signer.CUSTODIAL;
        }

        /**
         * Whether, in {@code logNode}'s log, this is work bought from another node: remote, for
         * that other node, attested by the key that node's id names, ordered by {@code logNode}'s
         * own key. A purchase is verified like any work but is no step of the seller's chain:
         * the seller's own log carries that step.
         */
        public boolean purchaseIn(String logNode) {
            String seller = work.order().order().audience();
            return remote() && !seller.equals(logNode) && NodeIdentity.owns(seller, providerKey)
                    && NodeIdentity.owns(logNode, orderKey);
        }

        @Override public long amount() { return work.paid(); }

        @Override public byte[] orderKey() { return orderKey.clone(); }

        @Override public byte[] providerKey() { return providerKey.clone(); }

        /**
         * Both signatures and the order binding. The time is the attestation's finish (the
         * settling node checked expiry against its clock then) and the audience the order's
         * own (the settling node checked it was for itself): a replay years later verifies alike.
         */
        @Override
        public void verify() {
            SignedWorkOrder order = work.order();
            SignedAttestation attestation = work.attestation();
            GridRefusedException.require(order.verifies(Ed25519.PublicKey.decode(orderKey)), GridRefusal.FORGED_SIGNATURE,
                    "the work order's signature does not verify");
            GridRefusedException.require(attestation.verifies(Ed25519.PublicKey.decode(providerKey)),
                    GridRefusal.FORGED_SIGNATURE, "the attestation's signature does not verify");
            var context = new WorkVerifier.Context(attestation.attestation().finishedAt(), order.order().audience(),
                    nonce -> false, new WorkVerifier.ChainTip(attestation.attestation().logIndex(),
                    attestation.attestation().previousDigest()));
            var failure = WorkVerifier.verifyBinding(order, attestation, context).firstFailure();
            GridRefusedException.require(failure.isEmpty(), GridRefusal.BINDING_MISMATCH,
                    failure.map(f -> f.code() + ": " + f.reason()).orElse(""));
        }

        @Override
        public CanonicalWriter write(CanonicalWriter out) {
            return out.u8(WORK).i64(work.id()).i64(work.orderId()).i64(work.transferId()).i64(work.settledAt())
                    .block(work.order().encode()).block(work.attestation().encode())
                    .fixed(orderKey, Ed25519.PUBLIC_KEY_SIZE).fixed(providerKey, Ed25519.PUBLIC_KEY_SIZE);
        }

        static WorkRecord read(CanonicalReader in) {
            long id = in.i64();
            long orderId = in.i64();
            long transferId = in.i64();
            long settledAt = in.i64();
            SignedWorkOrder order = SignedWorkOrder.decode(Entries.record(in));
            SignedAttestation attestation = SignedAttestation.decode(Entries.record(in));
            return new WorkRecord(new SettledWork(id, orderId, order, attestation, transferId, settledAt),
                    in.fixed(Ed25519.PUBLIC_KEY_SIZE), in.fixed(Ed25519.PUBLIC_KEY_SIZE));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WorkRecord r && work.equals(r.work) && Arrays.equals(orderKey, r.orderKey)
                    && Arrays.equals(providerKey, r.providerKey);
        }

        @Override
        public int hashCode() {
            return work.hashCode();
        }
    }

    static GridRecord read(CanonicalReader in) {
        int kind = in.u8();
        return switch (kind) {
            case TRADE -> TradeRecord.read(in);
            case WORK -> WorkRecord.read(in);
            default -> throw new GridRefusedException(GridRefusal.MALFORMED_ENTRY, "unknown record kind " + kind);
        };
    }
}
