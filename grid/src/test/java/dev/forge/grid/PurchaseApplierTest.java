package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote work in the grid: B's attestation is a leaf of B's log (its sale, a step of its chain)
 * and of A's (A's purchase). Whatever order the two logs arrive in, every applier applies both
 * without a refusal, holds one root, and folds the money as the peer contract says:
 * {@code flows[A/peer:B] == -flows[B/peer:A]}. The purchase moves nobody's chain, so B's next
 * local chat still follows; a node that is not the order's signer cannot pass a copy off as a purchase.
 */
class PurchaseApplierTest {
    @TempDir Path dir;
    private final NodeIdentity a = NodeIdentity.generate();
    private final NodeIdentity b = NodeIdentity.generate();
    private final Ed25519.KeyPair alice = Ed25519.generate();
    private final Ed25519.KeyPair bobOnB = Ed25519.generate();
    private final List<AutoCloseable> open = new ArrayList<>();
    private long nonce;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    @Test
    void aPurchaseAndItsSaleApplyInEitherOrderAndTheBooksAgree() {
        Ledger home = ledger("a", a);
        home.openAccount(AccountSpec.agent("alice", alice.publicKey()));
        home.openAccount(AccountSpec.peer(b.id(), b.publicKey()));
        Ledger seller = ledger("b", b);
        seller.openAccount(AccountSpec.agent("bob", bobOnB.publicKey()));
        seller.openAccount(AccountSpec.peer(a.id(), a.publicKey()));

        localChat(seller, "bob", bobOnB);                         // B's chain: 0
        long paid = remoteChat(home, seller);                    // B's chain: 1, and A's purchase
        localChat(seller, "bob", bobOnB);                         // B's chain: 2 follows 1

        List<GridEntry> logA = entries(home, a);
        List<GridEntry> logB = entries(seller, b);
        var purchase = (GridRecord.WorkRecord) logA.getFirst().record();
        assertTrue(purchase.purchaseIn(a.id()));
        assertTrue(!((GridRecord.WorkRecord) logB.get(1).record()).purchaseIn(b.id()));

        List<GridEntry> homeFirst = new ArrayList<>(logA);
        homeFirst.addAll(logB);
        List<GridEntry> sellerFirst = new ArrayList<>(logB);
        sellerFirst.addAll(logA);
        GridApplier one = applier("one", homeFirst);
        GridApplier two = applier("two", sellerFirst);
        for (GridApplier applier : List.of(one, two)) {
            assertEquals(Map.of(), applier.refusals());
            Map<String, Long> flows = applier.flows();
            assertEquals(paid, flows.get(a.id() + "/peer:" + b.id()), "A's record of what it owes B");
            assertEquals(-paid, flows.get(b.id() + "/peer:" + a.id()), "B's record of it");
            assertEquals(-paid, flows.get(a.id() + "/alice"));
        }
        assertArrayEquals(one.gridRoot(), two.gridRoot());
        assertEquals(home.logSize(), one.heads().get(a.id()).size());
        assertArrayEquals(home.merkleRoot(), one.heads().get(a.id()).root());
        assertArrayEquals(seller.merkleRoot(), one.heads().get(b.id()).root());

        // A third node republishing A's purchase as its own: it did not sign the order, so it is
        // no purchase of its own, and as a sale it is a step B's chain already took.
        var thief = NodeIdentity.generate();
        var stolen = new GridRecord.WorkRecord(new SettledWork(1, purchase.work().orderId(), purchase.work().order(),
                purchase.work().attestation(), purchase.work().transferId(), purchase.work().settledAt()),
                purchase.orderKey(), purchase.providerKey());
        GridEntry entry = GridEntry.sign(thief, 0, GridEntry.noPrevious(), stolen, stolen.leafHash());
        byte[] root = one.gridRoot();
        assertEquals(GridApplier.Outcome.REFUSED, one.apply(GridStreams.subject(thief.id()), entry.encode(), 1_000));
        assertEquals(Map.of(GridRefusal.DUPLICATE.code(), 1L), one.refusals());
        assertArrayEquals(root, one.gridRoot());
    }

    private Ledger ledger(String name, NodeIdentity node) {
        Ledger ledger = Ledger.open(dir.resolve(name));
        open.add(ledger);
        ledger.openAccount(AccountSpec.provider("node", node.publicKey()));
        return ledger;
    }

    private GridApplier applier(String name, List<GridEntry> entries) {
        GridApplier applier = GridApplier.open(dir.resolve("applier-" + name));
        open.add(applier);
        long sequence = 1;
        for (GridEntry e : entries) applier.apply(GridStreams.subject(e.nodeId()), e.encode(), sequence++);
        return applier;
    }

    private static List<GridEntry> entries(Ledger ledger, NodeIdentity node) {
        var publisher = new GridPublisher(null, node, ledger);
        List<GridEntry> out = new ArrayList<>();
        byte[] previous = GridEntry.noPrevious();
        for (long i = 0; i < ledger.logSize(); i++) {
            GridEntry entry = publisher.entry(i, previous);
            out.add(entry);
            previous = entry.digest();
        }
        return out;
    }

    /** A chat of {@code buyer} on the seller's own node, signed by the buyer, attested by the node key. */
    private void localChat(Ledger ledger, String buyer, Ed25519.KeyPair key) {
        long now = System.currentTimeMillis();
        SignedWorkOrder order = SignedWorkOrder.sign(order(buyer, WorkOrder.GRID, WorkOrder.Signer.BUYER, now), key);
        long id = ledger.acceptOrder(order).id();
        ledger.settleWork(id, attest(order, ledger, now), WorkOrder.GRID);
    }

    /** Alice on A buys from B: one order signed in custody by A's node key, settled on both ledgers. */
    private long remoteChat(Ledger home, Ledger seller) {
        long now = System.currentTimeMillis();
        SignedWorkOrder order = SignedWorkOrder.sign(order("alice", b.id(), WorkOrder.Signer.CUSTODIAL, now), a.key());
        long bought = home.acceptOrder(order, "node").id();
        long sold = seller.acceptOrder(order, "peer:" + a.id()).id();
        SignedAttestation attestation = attest(order, seller, now);
        SettledWork sale = seller.settleWork(sold, attestation, b.id());
        home.settleWork(bought, attestation, b.id());
        return sale.paid();
    }

    private WorkOrder order(String buyer, String audience, WorkOrder.Signer signer, long now) {
        return new WorkOrder(buyer, "node", WorkKind.INFERENCE_CHAT, "stories260K", LedgerNode.MODEL, "",
                Sha256.hashText("input " + ++nonce), new Replay(64, 0, 42, List.of()), 50_000, 0,
                ByteBuffer.allocate(WorkOrder.NONCE_SIZE).putLong(8, nonce).array(), audience, now + 600_000, signer);
    }

    private SignedAttestation attest(SignedWorkOrder order, Ledger seller, long now) {
        var tip = seller.chainTip("node");
        WorkOrder o = order.order();
        var attestation = new Attestation(order.digest(), "node", o.modelDigest(), LedgerNode.ENGINE, o.replay(),
                o.inputDigest(), Sha256.hashText("output " + nonce), 10, 20, "stop", 1_000, Cu.cost(30, 1_000), now - 5, now,
                tip.nextIndex(), tip.lastDigest());
        return SignedAttestation.sign(attestation, b.key());
    }
}
