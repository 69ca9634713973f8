package dev.forge.node.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.Check;
import dev.forge.economy.work.EvalChecks;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.Verification;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every check of a delivery on arrival: {@link WorkVerifier}'s (both signatures, the binding to
 * the order, the provider's chain), then the ones only the node can make because it holds the
 * bodies: the output is the one attested, and a chat's is text; an eval's result is checked
 * against the input the node keeps ({@link EvalChecks}: digests, counts, the score recomputed).
 */
final class ArrivalChecks {
    private ArrivalChecks() {
    }

    /** @param input the input body the node keeps for the order (its digest was checked when the order was accepted) */
    static Verification run(SignedWorkOrder order, SignedAttestation attestation, byte[] input, byte[] output,
                            Ed25519.PublicKey orderKey, Ed25519.PublicKey providerKey, String taker, WorkVerifier.Context context) {
        List<Check> checks = new ArrayList<>(WorkVerifier.verify(order, attestation, orderKey, providerKey, context).checks());
        String provider = attestation.attestation().provider();
        checks.add(check("binding.taker", provider.equals(taker), "wrong_provider",
                "the attestation names " + provider + ", the order was taken by " + taker));
        checks.add(check("binding.output", Arrays.equals(Sha256.hash(output), attestation.attestation().outputDigest()),
                "output_mismatch", "the output delivered is not the one the attestation's digest names"));
        boolean bound = checks.getLast().passed();
        if (order.order().kind() == WorkKind.EVAL) {
            // The result's own checks, recomputed from the two bodies: digests, counts, score, tokens.
            if (bound) checks.addAll(EvalChecks.check(order.order(), attestation.attestation(), input, output));
        } else {
            checks.add(check("format.output", utf8(output), "malformed_output", "a chat's output must be UTF-8 text"));
        }
        return new Verification(checks);
    }

    private static Check check(String name, boolean passed, String code, String reason) {
        return passed ? new Check(name, Check.Verdict.PASS, "", "") : new Check(name, Check.Verdict.FAIL, code, reason);
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
