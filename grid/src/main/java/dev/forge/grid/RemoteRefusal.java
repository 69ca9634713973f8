package dev.forge.grid;

import java.util.Locale;

/**
 * Why remote work was refused or failed, one stable code each (docs/grid.md, "Remote work"):
 * the provider's node answers the first group in a {@code refused} frame, the buyer's node
 * decides the last group itself.
 */
public enum RemoteRefusal {
    /** The vouch or a frame is not canonical, or over its bound. */
    MALFORMED,
    /** The home node's key is not the one its id names, or a signature (vouch, order) fails. */
    FORGED_SIGNATURE,
    /** The vouch does not hold together: buyer, cost, audience, input or provider differ from the order's. */
    BINDING_MISMATCH,
    /** The vouch or its order expired, or was issued too far ahead of the provider's clock. */
    EXPIRED,
    /** This order (its digest) was seen before. */
    REPLAYED,
    /** The provider's node does not serve the model, or not at a price the order allows. */
    UNKNOWN_MODEL,
    PRICE_TOO_HIGH,
    /** The provider's node is running or queueing as many remote requests as it takes. */
    BUSY,
    /** The home node owes the provider's node as much as its operator lets one peer owe (its credit line). */
    CREDIT_EXCEEDED,
    /** The provider's node could not run the work (its engine failed, or its ledger refused). */
    PROVIDER_ERROR,
    /** The home node cancelled it (a signed {@link WorkCancel}): the provider stopped and settled nothing. */
    CANCELLED,
    /** Buyer side: no first frame in time, or no live offer of that model answered. */
    NO_PROVIDER,
    /** Buyer side: after the first frame, the provider went silent or gone; the hold is voided. */
    PROVIDER_FAILED,
    /** Buyer side: the delivery failed the arrival checks; nothing is paid. */
    DELIVERY_REFUSED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RemoteRefusal ofCode(String code) {
        for (RemoteRefusal refusal : values()) if (refusal.code().equals(code)) return refusal;
        throw new IllegalArgumentException("unknown remote refusal code");
    }
}
