package dev.forge.node.grid;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.work.VerificationRate;
import dev.forge.grid.GridApplier;
import dev.forge.grid.GridEntry;
import dev.forge.grid.GridEvidence;
import dev.forge.grid.GridRefusal;
import dev.forge.grid.NodeIdentity;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Each remote node's rate with the grid's evidence counted. A refusal counts against a node only
 * when the refused entry carries a valid signature of that node's key: then the node itself
 * published it. A forged signature under its id is the forger's doing, and a replay of its own
 * entry anyone can make: both are kept as evidence and leave its rate alone. Applied entries do
 * not raise it: a node can sign its own trades between its own accounts.
 */
final class GridRates {
    /** Refusals that are the signer's fault once its signature verifies. */
    static final Set<GridRefusal> SIGNER_FAULTS = EnumSet.of(GridRefusal.SEQUENCE_GAP, GridRefusal.CHAIN_BROKEN,
            GridRefusal.BINDING_MISMATCH, GridRefusal.FORGED_SIGNATURE);

    private final Function<String, VerificationRate> measured;
    private final GridApplier applier;
    private final Map<String, Long> signedRefusals = new HashMap<>();
    private int evidenceRead;

    GridRates(Function<String, VerificationRate> measured, GridApplier applier) {
        this.measured = measured;
        this.applier = applier;
    }

    synchronized GridRate of(String nodeId) {
        for (GridEvidence evidence : applier.evidence(evidenceRead)) {
            evidenceRead++;
            if (signedByItsNode(evidence)) signedRefusals.merge(evidence.nodeId(), 1L, Long::sum);
        }
        VerificationRate rate = measured.apply(nodeId);
        return GridRate.of(rate == null ? VerificationRate.none() : rate, signedRefusals.getOrDefault(nodeId, 0L),
                !applier.verifiable().getOrDefault(nodeId, true));
    }

    /** Whether the refused entry is one the named node's key signed (its entry signature verifies). */
    static boolean signedByItsNode(GridEvidence evidence) {
        if (!SIGNER_FAULTS.contains(evidence.refusal())) return false;
        try {
            GridEntry entry = GridEntry.decode(evidence.entry());
            return entry.nodeId().equals(evidence.nodeId()) && NodeIdentity.owns(entry.nodeId(), entry.nodeKey())
                    && Ed25519.verify(entry.nodeKey(), entry.signedBytes(), entry.signature());
        } catch (RuntimeException unreadable) {
            return false; // bytes that do not parse name nobody
        }
    }
}
