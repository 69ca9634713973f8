package dev.forge.node.work;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.policies.SpendRequest;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * An {@code eval.v1} order the node writes and signs for an agent that keeps no key of its
 * own: the cases become the canonical {@link EvalInput}, the order's max tokens is the whole
 * eval's budget (cases × max tokens per case), a fresh random nonce, and the agent's custodial
 * key signs it ({@link WorkOrder.Signer#CUSTODIAL}).
 */
final class CustodialEval {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CustodialEval() {
    }

    /** @param modelDigest the digest the offers of the named model agree on (zeros for a tier) */
    static CustodialOrder.Built build(String buyer, WorkCalls.SubmitEval request, byte[] modelDigest, String audience, long now,
                                      Ed25519.KeyPair custodialKey) {
        WorkRefusal.require(request.expiresInSeconds() >= 1 && request.expiresInSeconds() <= CustodialOrder.MAX_EXPIRY_SECONDS,
                WorkRefusal.INVALID_ARGUMENT, "expires_in_seconds must be 1 to " + CustodialOrder.MAX_EXPIRY_SECONDS);
        try {
            EvalInput eval = input(request);
            byte[] input = eval.encode();
            WorkRefusal.require(input.length <= WorkService.MAX_INPUT_BYTES, WorkRefusal.INVALID_ARGUMENT,
                    "the prompts come to more than " + WorkService.MAX_INPUT_BYTES + " bytes");
            byte[] nonce = new byte[WorkOrder.NONCE_SIZE];
            RANDOM.nextBytes(nonce);
            var order = new WorkOrder(buyer, request.provider(), WorkKind.EVAL, request.model(), modelDigest, request.tier(),
                    Sha256.hash(input), replay(request, eval), request.maxCost(), request.reward(), nonce, audience,
                    now + request.expiresInSeconds() * 1000, WorkOrder.Signer.CUSTODIAL);
            return new CustodialOrder.Built(SignedWorkOrder.sign(order, custodialKey), input);
        } catch (WorkException e) {
            throw WorkRefusal.INVALID_ARGUMENT.refuse(e.getMessage());
        }
    }

    static EvalInput input(WorkCalls.SubmitEval request) {
        WorkRefusal.require(request.cases() != null, WorkRefusal.INVALID_ARGUMENT, "an eval needs prompts");
        var cases = request.cases().stream().map(c -> new EvalInput.Case(c.prompt(), c.expected())).toList();
        return new EvalInput(scoring(request.scoring()), request.maxTokensPerCase(), cases);
    }

    private static Replay replay(WorkCalls.SubmitEval request, EvalInput eval) {
        WorkRefusal.require(eval.maxTokens() <= Replay.MAX_TOKENS, WorkRefusal.INVALID_ARGUMENT,
                "prompts × max_tokens_per_case must be at most " + Replay.MAX_TOKENS);
        return new Replay((int) eval.maxTokens(), request.temperatureMilli(), request.seed(), request.stop());
    }

    private static EvalInput.Scoring scoring(String scoring) {
        return switch (scoring == null ? "" : scoring.toLowerCase(Locale.ROOT)) {
            case "exact" -> EvalInput.Scoring.EXACT;
            case "contains" -> EvalInput.Scoring.CONTAINS;
            default -> throw WorkRefusal.INVALID_ARGUMENT.refuse("scoring is exact or contains");
        };
    }

    /**
     * What an approval of a custodial eval binds: every argument but the fresh nonce (and the
     * expiry, which counts from each call), so that the approved call made again matches it.
     */
    static String argumentsDigest(WorkCalls.SubmitEval request) {
        try {
            byte[] input = Sha256.hash(input(request).encode());
            return SpendRequest.digestOf(new CanonicalWriter(192).string("forge/custodial-eval-arguments/v1")
                    .fixed(input, Sha256.SIZE).string(request.model()).string(request.tier()).string(request.provider())
                    .i32(request.temperatureMilli()).i64(request.seed()).i32(request.stop().size())
                    .string(String.join("\u0000", request.stop())).i64(request.maxCost()).i64(request.reward())
                    .i64(request.expiresInSeconds()));
        } catch (WorkException e) {
            throw WorkRefusal.INVALID_ARGUMENT.refuse(e.getMessage());
        }
    }
}
