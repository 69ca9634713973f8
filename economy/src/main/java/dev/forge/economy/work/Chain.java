package dev.forge.economy.work;

/**
 * One settled piece of work as a verifier keeps it to check again: the order, the attestation
 * that was paid for it, and what was paid.
 *
 * @param value µCU paid for it ({@code amount + reward}): its weight in the provider's rate
 * @param settledAt when it was paid, epoch ms: recent chains are re-checked more often
 */
public record Chain(SignedWorkOrder order, SignedAttestation attestation, long value, long settledAt) {
    public Chain {
        WorkException.require(order != null && attestation != null, "a chain has an order and an attestation");
        WorkException.require(value >= 0 && settledAt > 0, "value 0 or more, a positive settle time");
    }

    public String provider() {
        return attestation.attestation().provider();
    }

    public long logIndex() {
        return attestation.attestation().logIndex();
    }
}
