package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.merkle.MerkleHash;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The checks that ask the world now, not the records alone: can the bodies still be fetched,
 * does the provider's log still prove the attestation, does a re-run give the same output.
 * Each is reported PASS, FAIL or INCONCLUSIVE with a stable code ({@code docs/verification.md}).
 * "Gone" (the source answers it has nothing) fails; "unreachable" (no answer) is inconclusive.
 */
public final class ChainChecks {
    /** What the availability checks found: their checks, and the bodies when they matched. */
    public record Availability(List<Check> checks, byte[] input, byte[] output) {
        public Availability {
            checks = List.copyOf(checks);
        }
    }

    /** What the log checks found, and the head they were checked under (null when none could be taken). */
    public record LogResult(List<Check> checks, TreeHead head) {
        public LogResult {
            checks = List.copyOf(checks);
        }
    }

    private ChainChecks() {
    }

    /** {@code availability.input} and {@code availability.output}, then the kind's own body checks. */
    public static Availability availability(SignedWorkOrder order, Attestation attestation, Bodies bodies) {
        var checks = new java.util.ArrayList<Check>();
        byte[] input = fetch("availability.input", attestation.inputDigest(), bodies, checks);
        byte[] output = fetch("availability.output", attestation.outputDigest(), bodies, checks);
        if (order.order().kind() == WorkKind.EVAL && input != null && output != null) {
            checks.addAll(EvalChecks.check(order.order(), attestation, input, output));
        }
        return new Availability(checks, input, output);
    }

    private static byte[] fetch(String name, byte[] digest, Bodies bodies, List<Check> checks) {
        try {
            Optional<byte[]> body = bodies.fetch(digest);
            if (body.isEmpty()) {
                checks.add(Check.fail(name, "body_gone", "the body " + hex(digest) + " is gone"));
                return null;
            }
            boolean matches = Arrays.equals(Sha256.hash(body.get()), digest);
            checks.add(Check.of(name, matches, "body_mismatch", "the body served as " + hex(digest) + " has another digest"));
            return matches ? body.get() : null;
        } catch (Bodies.Unreachable e) {
            checks.add(Check.inconclusive(name, "bodies_unreachable", "the body source gave no answer: " + e.getMessage()));
            return null;
        }
    }

    /**
     * {@code reexecution}: the checker runs the order again. Same output digest passes; another
     * output on the same kernel path fails; another output on another path proves nothing.
     */
    public static Check reexecution(WorkOrder order, Attestation attestation, byte[] input, Reexecution runner) {
        String name = "reexecution";
        if (!runner.has(attestation.modelDigest())) {
            return Check.inconclusive(name, "model_unavailable", "this checker does not hold the attested model");
        }
        if (input == null) return Check.inconclusive(name, "input_unavailable", "the input body could not be had");
        Reexecution.Run run;
        try {
            run = runner.run(order, input, attestation.completionTokens());
        } catch (Exception e) {
            return Check.inconclusive(name, "reexecution_failed", "the re-run did not complete: " + e.getMessage());
        }
        if (Arrays.equals(Sha256.hash(run.output()), attestation.outputDigest())) return Check.pass(name);
        if (run.engine().sameKernelPath(attestation.engine())) {
            return Check.fail(name, "output_differs", "a re-run on the same kernel path (" + run.engine().kernel()
                    + ", " + run.engine().workingType() + ") gave another output");
        }
        return Check.inconclusive(name, "kernel_differs", "the re-run on " + run.engine().kernel() + "/"
                + run.engine().workingType() + " differs, the attestation ran on " + attestation.engine().kernel() + "/"
                + attestation.engine().workingType());
    }

    /**
     * {@code log.head}, {@code log.consistency}, {@code log.inclusion} and {@code log.previous}:
     * the provider's newest signed head, consistent with the last head this checker accepted,
     * includes the attestation, whose previous digest is the digest of the provider's attestation
     * before it.
     *
     * @param known the last head of this provider that this checker accepted, or null
     * @param previous the digest of the provider's attestation at {@code log_index - 1} as this
     *     checker recorded it (zeros at index 0), or null when it has not seen that one
     */
    public static LogResult log(SignedAttestation signed, Ed25519.PublicKey key, LogProofs proofs, TreeHead known,
                                byte[] previous) {
        Attestation a = signed.attestation();
        var checks = new java.util.ArrayList<Check>();
        TreeHead head = head(a.provider(), key, proofs, checks);
        if (head == null) {
            String code = checks.getFirst().verdict() == Check.Verdict.INCONCLUSIVE ? "log_unreachable" : "no_head";
            checks.add(Check.inconclusive("log.consistency", code, "no signed head to check"));
            checks.add(Check.inconclusive("log.inclusion", code, "no signed head to check"));
        } else {
            checks.add(consistency(a.provider(), known, head, proofs));
            checks.add(inclusion(signed, head, proofs));
        }
        checks.add(previous(a, previous));
        boolean consistent = checks.get(1).verdict() != Check.Verdict.FAIL;
        return new LogResult(checks, consistent ? head : null);
    }

    private static TreeHead head(String provider, Ed25519.PublicKey key, LogProofs proofs, List<Check> checks) {
        try {
            Optional<TreeHead> head = proofs.latestHead(provider);
            if (head.isEmpty()) {
                checks.add(Check.fail("log.head", "proof_gone", provider + " serves no signed tree head"));
                return null;
            }
            boolean valid = head.get().provider().equals(provider) && head.get().verifies(key);
            checks.add(Check.of("log.head", valid, "head_invalid", "the tree head is not signed by " + provider + "'s key"));
            return valid ? head.get() : null;
        } catch (Bodies.Unreachable e) {
            checks.add(Check.inconclusive("log.head", "log_unreachable", "the provider's log gave no answer: " + e.getMessage()));
            return null;
        }
    }

    private static Check consistency(String provider, TreeHead known, TreeHead head, LogProofs proofs) {
        String name = "log.consistency";
        if (known == null) return Check.pass(name);
        if (head.size() < known.size()) {
            return Check.fail(name, "log_shrank", "the log had " + known.size() + " attestations, its head now says " + head.size());
        }
        if (head.size() == known.size()) {
            return Check.of(name, Arrays.equals(head.root(), known.root()), "heads_inconsistent",
                    "two roots signed for size " + head.size());
        }
        try {
            Optional<ConsistencyProof> proof = proofs.consistency(provider, known.size(), head.size());
            if (proof.isEmpty()) return Check.fail(name, "proof_gone", "no consistency proof from " + known.size() + " to " + head.size());
            boolean holds = proof.get().oldSize() == known.size() && proof.get().newSize() == head.size()
                    && proof.get().verify(known.root(), head.root());
            return Check.of(name, holds, "heads_inconsistent", "the head for " + head.size()
                    + " does not extend the head for " + known.size());
        } catch (Bodies.Unreachable e) {
            return Check.inconclusive(name, "log_unreachable", "the provider's log gave no answer: " + e.getMessage());
        }
    }

    private static Check inclusion(SignedAttestation signed, TreeHead head, LogProofs proofs) {
        String name = "log.inclusion";
        long index = signed.attestation().logIndex();
        if (index >= head.size()) {
            return Check.inconclusive(name, "not_yet_in_head", "the newest head covers " + head.size() + " attestations");
        }
        try {
            Optional<InclusionProof> proof = proofs.inclusion(signed.attestation().provider(), index, head.size());
            if (proof.isEmpty()) return Check.fail(name, "proof_gone", "no inclusion proof for log index " + index);
            boolean included = proof.get().leafIndex() == index && proof.get().treeSize() == head.size()
                    && proof.get().verify(MerkleHash.leaf(signed.digest()), head.root());
            return Check.of(name, included, "not_included", "log index " + index + " is not this attestation under the head");
        } catch (Bodies.Unreachable e) {
            return Check.inconclusive(name, "log_unreachable", "the provider's log gave no answer: " + e.getMessage());
        }
    }

    private static Check previous(Attestation a, byte[] previous) {
        String name = "log.previous";
        if (a.logIndex() == 0) {
            return Check.of(name, Arrays.equals(a.previousDigest(), Attestation.noPrevious()), "chain_broken",
                    "the first attestation names a previous one");
        }
        if (previous == null) return Check.inconclusive(name, "previous_unknown", "this checker has not seen index " + (a.logIndex() - 1));
        return Check.of(name, Arrays.equals(a.previousDigest(), previous), "chain_broken",
                "the previous digest is not the provider's attestation at index " + (a.logIndex() - 1));
    }

    static String hex(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest);
    }
}
