package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static dev.forge.economy.ledger.WorkDeals.honest;
import static dev.forge.economy.ledger.WorkDeals.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote work on two real ledgers, as the peer contract (docs/grid.md) says: an agent on home
 * node A buys from node B; A's ledger debits the agent and credits {@code peer:B}, B's debits
 * {@code peer:A} (which may go negative) and credits its {@code node}; both settle the same
 * order and attestation, and only B's chain of {@code node} moves.
 */
class PeerWorkLedgerTest {
    static final Ed25519.KeyPair A_KEY = Fixtures.key(201);
    static final Ed25519.KeyPair B_KEY = Fixtures.key(202);
    static final Ed25519.KeyPair STRANGER = Fixtures.key(203);
    static final String A = "node-" + "a".repeat(40);
    static final String B = "node-" + "b".repeat(40);

    @TempDir Path dirA;
    @TempDir Path dirB;
    final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    Ledger home;
    Ledger seller;

    @BeforeEach
    void open() {
        home = Fixtures.open(dirA, clock);
        home.openAccount(AccountSpec.agent("alice", Fixtures.key(204).publicKey()));
        home.openAccount(AccountSpec.provider("node", A_KEY.publicKey()));
        home.openAccount(AccountSpec.peer(B, B_KEY.publicKey()));
        seller = Fixtures.open(dirB, clock);
        seller.openAccount(AccountSpec.provider("node", B_KEY.publicKey()));
        seller.openAccount(AccountSpec.peer(A, A_KEY.publicKey()));
    }

    @AfterEach
    void close() {
        home.invariants().check();
        seller.invariants().check();
        home.close();
        seller.close();
    }

    /** Alice's chat order for B's node, signed in custody by A's node key. */
    SignedWorkOrder remoteOrder(long nonce, Ed25519.KeyPair signer) {
        var order = new WorkOrder("alice", "node", WorkKind.INFERENCE_CHAT, "stories260K", WorkDeals.MODEL, "",
                Sha256.hashText("input " + nonce), WorkDeals.REPLAY, CU, 0, WorkDeals.nonce(nonce), B,
                clock.millis() + 60_000, WorkOrder.Signer.CUSTODIAL);
        return SignedWorkOrder.sign(order, signer);
    }

    @Test
    void bothLedgersRecordOneTradeAsTheContractSays() {
        long aliceBefore = home.account("alice").orElseThrow().balance();
        SignedWorkOrder order = remoteOrder(1, A_KEY);
        AcceptedOrder bought = home.acceptOrder(order, "node");
        assertEquals("peer:" + B, bought.payee());
        AcceptedOrder sold = seller.acceptOrder(order, "peer:" + A);
        assertEquals("node", sold.payee());

        SignedAttestation attestation = sign(honest(order, "node", seller.chainTip("node"), 15, 25, CU, clock.millis()), B_KEY);
        SettledWork sale = seller.settleWork(sold.id(), attestation, B);
        SettledWork purchase = home.settleWork(bought.id(), attestation, B);
        long paid = sale.paid();
        assertEquals(paid, purchase.paid());
        assertEquals(-paid, seller.account("peer:" + A).orElseThrow().balance(), "what A owes B, on B");
        assertEquals(paid, seller.account("node").orElseThrow().balance());
        assertEquals(paid, home.account("peer:" + B).orElseThrow().balance(), "what A owes B, on A");
        assertEquals(aliceBefore - paid, home.account("alice").orElseThrow().balance(), "the rest of the hold came back");
        assertEquals(1, seller.chainTip("node").nextIndex(), "B's chain moved");
        assertEquals(0, home.chainTip("node").nextIndex(), "A's own chain did not");
        assertEquals(0, home.chainTip("peer:" + B).nextIndex(), "a purchase is no step of a chain on the buyer's ledger");
        assertEquals(1, home.logSize());
        assertEquals(1, seller.logSize());
        // Replayed from its journal, the home ledger comes back with the same books.
        home.close();
        home = Fixtures.open(dirA, clock);
        assertEquals(paid, home.account("peer:" + B).orElseThrow().balance());
        assertEquals(aliceBefore - paid, home.account("alice").orElseThrow().balance());
        assertEquals(purchase.withoutBalances(), home.settledWork(1).orElseThrow().withoutBalances());
    }

    @Test
    void forgedPartsAreRefusedAndChangeNothing() {
        // An order B is shown as A's that A's key did not sign.
        SignedWorkOrder forged = remoteOrder(2, STRANGER);
        assertEquals(LedgerError.INVALID_SIGNATURE,
                assertThrows(LedgerException.class, () -> seller.acceptOrder(forged, "peer:" + A)).error());
        // An attestation for A's purchase that B's key did not sign.
        SignedWorkOrder order = remoteOrder(3, A_KEY);
        AcceptedOrder bought = home.acceptOrder(order, "node");
        SignedAttestation fake = sign(honest(order, "node", seller.chainTip("node"), 15, 25, CU, clock.millis()), STRANGER);
        assertThrows(WorkRefusedException.class, () -> home.settleWork(bought.id(), fake, B));
        assertEquals(0, home.account("peer:" + B).orElseThrow().balance());
        assertEquals(0, home.logSize());
        home.voidWork(bought.id());
        assertEquals(0, home.account("alice").orElseThrow().debitsPending());
    }
}
