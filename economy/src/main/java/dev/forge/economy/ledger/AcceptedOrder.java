package dev.forge.economy.ledger;

import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkOrder;

/**
 * A work order the ledger accepted: the buyer's {@link WorkOrder#maxPayment()} is held until
 * an attestation settles it, it is voided, or it expires.
 *
 * @param id the id of the hold ({@link Transfer#id()}); the order's id in every call
 * @param custodian the account whose key signed a custodial order; empty when the buyer signed
 * @param payee the hold's credit account: the named provider, or {@value #ESCROW} for an open order
 */
public record AcceptedOrder(long id, SignedWorkOrder signed, String custodian, String payee, long acceptedAt) {
    /** Where an open order's money waits until someone delivers. */
    public static final String ESCROW = "escrow:work";

    /** The key of the void that turns a pending hold into the order with this nonce key ({@code Ledger.acceptOrderOnHold}). */
    static String movedHoldKey(String nonceKey) {
        return "~work:" + nonceKey + ":from";
    }

    /** Whether {@code transfer} voided a hold only to hold the same money for a work order, in the same commit. */
    public static boolean movedHold(Transfer transfer) {
        return transfer.phase() == Phase.VOID && transfer.key().startsWith("~work:") && transfer.key().endsWith(":from");
    }

    public WorkOrder order() {
        return signed.order();
    }

    public String buyer() {
        return signed.order().buyer();
    }

    public long expiresAt() {
        return signed.order().expiresAt();
    }
}
