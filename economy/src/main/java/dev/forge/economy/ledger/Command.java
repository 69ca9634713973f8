package dev.forge.economy.ledger;

import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import java.util.List;

/**
 * What the writer applies and the journal records. Replaying the journal's commands with their
 * recorded times rebuilds the state exactly, re-checking every rule on the way.
 */
sealed interface Command {
    record OpenAccount(AccountSpec spec) implements Command {}

    record MoveMoney(List<TransferRequest> chain) implements Command {
        public MoveMoney {
            chain = List.copyOf(chain);
        }
    }

    /** {@code holdId} zero settles with a direct transfer; otherwise it posts that hold. */
    record SettleTrade(SignedTrade trade, long holdId) implements Command {}

    /** Expires every hold whose time is up; written to the journal so replay expires the same ones. */
    record ExpireHolds() implements Command {}

    /** {@code custodian} names the account whose key signed a custodial order; empty when the buyer signed. */
    record AcceptOrder(SignedWorkOrder order, String custodian) implements Command {}

    /**
     * Accepts an order in place of the pending hold {@code holdId} (a safety pipeline's): the
     * hold is voided and the order's hold taken in one step, so the money is never unheld between.
     */
    record AcceptOrderOnHold(SignedWorkOrder order, String custodian, long holdId) implements Command {}

    /** {@code audience} is the node id the attestation was verified for. */
    record SettleWork(long orderId, SignedAttestation attestation, String audience) implements Command {}

    record VoidWork(long orderId) implements Command {}
}
