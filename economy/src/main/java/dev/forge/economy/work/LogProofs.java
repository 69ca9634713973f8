package dev.forge.economy.work;

import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import java.util.Optional;

/**
 * What a provider serves of its own log, asked for now (the node fills it, e.g. over HTTP).
 * Empty means the provider answered that it has none: proofs it once gave are gone.
 */
public interface LogProofs {
    /** The provider's newest signed tree head. */
    Optional<TreeHead> latestHead(String provider) throws Bodies.Unreachable;

    /** The audit path of the attestation at {@code index} in the provider's first {@code treeSize}. */
    Optional<InclusionProof> inclusion(String provider, long index, long treeSize) throws Bodies.Unreachable;

    /** The proof that the provider's first {@code oldSize} attestations are the start of its first {@code newSize}. */
    Optional<ConsistencyProof> consistency(String provider, long oldSize, long newSize) throws Bodies.Unreachable;
}
