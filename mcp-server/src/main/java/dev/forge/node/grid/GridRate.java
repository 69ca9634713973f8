package dev.forge.node.grid;

import dev.forge.economy.market.ProviderFilter;
import dev.forge.economy.work.VerificationRate;

/**
 * A remote node's verification rate as the tools show it: the rate this node's live checks
 * measured, with the grid entries refused that the node's own key signed counted as failed
 * chains, or zero once the node signed two entries for one index (docs/grid.md, "The rate").
 *
 * @param rate the measured rate with the signed refusals added as failed chains
 * @param signedRefusals entries signed by the node's key and refused (a gap, a broken chain, a wrong binding)
 * @param unverifiable the node was caught equivocating: nothing it signs can be relied on
 */
record GridRate(VerificationRate rate, long signedRefusals, boolean unverifiable) {
    /** What one signed refusal weighs: as much as one chain of the prior (1 CU). */
    static final long REFUSAL_WEIGHT = VerificationRate.PRIOR_VALUE;

    static GridRate of(VerificationRate measured, long signedRefusals, boolean unverifiable) {
        long weight = Math.multiplyExact(signedRefusals, REFUSAL_WEIGHT);
        var rate = new VerificationRate(Math.addExact(measured.chains(), signedRefusals), measured.verifying(),
                Math.addExact(measured.value(), weight), measured.verifyingValue(), measured.completed());
        return new GridRate(rate, signedRefusals, unverifiable);
    }

    /** Parts per million, the prior included; 0 for an equivocating node. */
    long ppm() {
        return unverifiable ? 0 : rate.ppm();
    }

    String describe() {
        if (unverifiable) return "unverifiable: it signed two different entries for one index of its grid log";
        if (signedRefusals == 0) return rate.describe();
        return rate.describe() + " (" + signedRefusals + " of them grid entries it signed that were refused)";
    }

    /** Why a buyer with {@code filter} leaves this node out, or null when it may serve. */
    String refusal(ProviderFilter filter) {
        if (unverifiable && filter.minVerificationPpm() > 0) return "the node is " + describe();
        return filter.refusal(rate);
    }
}
