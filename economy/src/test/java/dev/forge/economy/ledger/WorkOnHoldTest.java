package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static dev.forge.economy.ledger.WorkDeals.NODE;
import static dev.forge.economy.ledger.WorkDeals.honest;
import static dev.forge.economy.ledger.WorkDeals.order;
import static dev.forge.economy.ledger.WorkDeals.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkOrder;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A chat's safety hold turned into its work order's hold ({@link Ledger#acceptOrderOnHold}): one
 * commit, so the money is held throughout and no other spend can take it between the two.
 */
class WorkOnHoldTest extends WorkLedgerFixture {
    /** A custodial chat order, as the node signs one with the agent's key, for the node itself. */
    SignedWorkOrder chatOrder(long maxCost) {
        return order(ALICE, "alice", "node", maxCost, 0, ++nonce, clock.millis() + 60_000, WorkOrder.Signer.CUSTODIAL);
    }

    Transfer safetyHold(String key, long amount) {
        return ledger.transfer(TransferRequest.hold(key, "alice", "node", amount, 60_000, TransferCode.TRADE));
    }

    @Test
    void theSafetyHoldBecomesTheOrdersHoldAndTheOrderSettlesAsAnyOther() {
        Transfer hold = safetyHold("chat-1", 2 * CU);
        assertEquals(FREE - 2 * CU, available("alice"));
        SignedWorkOrder order = chatOrder(2 * CU);

        AcceptedOrder accepted = ledger.acceptOrderOnHold(order, "alice", hold.id());

        assertEquals(FREE - 2 * CU, available("alice"), "the same money is held, once");
        assertEquals(HoldStatus.VOIDED, ledger.holdStatus(hold.id()).orElseThrow());
        assertEquals(WorkStatus.OPEN, ledger.workStatus(accepted.id()).orElseThrow());
        assertEquals("alice", accepted.custodian());
        assertEquals(accepted, ledger.acceptOrderOnHold(order, "alice", hold.id()), "a retry answers the original");

        var attestation = sign(honest(order, "node", ledger.chainTip("node"), 15, 25, CU, clock.millis()), NODE_KEY);
        SettledWork settled = ledger.settleWork(accepted.id(), attestation, NODE);
        assertEquals(40_000, settled.paid());
        assertEquals(FREE - 40_000, ledger.account("alice").orElseThrow().balance());
        assertEquals(FREE - 40_000, available("alice"), "the rest of the hold came back");

        ledger.close();
        ledger = Fixtures.open(dir, clock);
        assertEquals(WorkStatus.SETTLED, ledger.workStatus(accepted.id()).orElseThrow(), "the journal replays it");
        assertEquals(HoldStatus.VOIDED, ledger.holdStatus(hold.id()).orElseThrow());
        assertEquals(FREE - 40_000, available("alice"));
    }

    @Test
    void aHoldThatIsNotExactlyTheOrdersIsRefusedAndStaysHeld() {
        Transfer hold = safetyHold("chat-2", 2 * CU);
        refused(LedgerError.ORDER_DOES_NOT_MATCH_HOLD, () -> ledger.acceptOrderOnHold(chatOrder(CU), "alice", hold.id()));
        assertEquals(HoldStatus.PENDING, ledger.holdStatus(hold.id()).orElseThrow(), "a refused call changes nothing");
        assertEquals(FREE - 2 * CU, available("alice"));

        ledger.openAccount(AccountSpec.agent("bob", Fixtures.key(202).publicKey()));
        Transfer bobs = ledger.transfer(TransferRequest.hold("bob-1", "bob", "node", 2 * CU, 60_000, TransferCode.TRADE));
        refused(LedgerError.ORDER_DOES_NOT_MATCH_HOLD, () -> ledger.acceptOrderOnHold(chatOrder(2 * CU), "alice", bobs.id()));

        ledger.transfer(TransferRequest.voidHold("void-2", hold.id()));
        refused(LedgerError.PENDING_TRANSFER_ALREADY_VOIDED,
                () -> ledger.acceptOrderOnHold(chatOrder(2 * CU), "alice", hold.id()));

        long orderHold = ledger.acceptOrder(chatOrder(CU), "alice").id();
        refused(LedgerError.HOLD_BELONGS_TO_WORK_ORDER, () -> ledger.acceptOrderOnHold(chatOrder(CU), "alice", orderHold));
        assertEquals(WorkStatus.OPEN, ledger.workStatus(orderHold).orElseThrow());
    }

    @Test
    void noOtherSpendFitsBetweenTheSafetyHoldAndTheOrders() {
        for (int round = 0; round < 30; round++) {
            long all = available("alice");
            Transfer hold = safetyHold("all-" + round, all);
            SignedWorkOrder order = chatOrder(all);
            var competitor = CompletableFuture.supplyAsync(() -> assertThrows(LedgerException.class,
                    () -> ledger.transfer(TransferRequest.hold("steal-" + nonce, "alice", "node", 1, 60_000,
                            TransferCode.TRADE))).error());
            long orderId = ledger.acceptOrderOnHold(order, "alice", hold.id()).id();
            assertEquals(LedgerError.INSUFFICIENT_FUNDS, competitor.join(), "round " + round);
            ledger.voidWork(orderId);
        }
        assertEquals(FREE, available("alice"));
    }

    static void refused(LedgerError expected, Supplier<?> call) {
        assertEquals(expected, assertThrows(LedgerException.class, call::get).error());
    }
}
