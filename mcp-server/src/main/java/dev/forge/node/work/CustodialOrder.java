package dev.forge.node.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chat order the node writes and signs for an agent that keeps no key of its own: the
 * canonical {@link ChatRequest} is the input, a fresh random nonce, and the agent's custodial
 * key signs it ({@link WorkOrder.Signer#CUSTODIAL}).
 */
final class CustodialOrder {
    static final long MAX_EXPIRY_SECONDS = 24 * 60 * 60;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The order's bytes and its input body. */
    record Built(SignedWorkOrder order, byte[] input) {
    }

    private CustodialOrder() {
    }

    /**
     * @param modelDigest the digest the offers of the named model agree on (zeros for a tier)
     */
    static Built build(String buyer, WorkCalls.SubmitCustodial request, byte[] modelDigest, String audience, long now,
                       Ed25519.KeyPair custodialKey) {
        WorkRefusal.require(request.expiresInSeconds() >= 1 && request.expiresInSeconds() <= MAX_EXPIRY_SECONDS,
                WorkRefusal.INVALID_ARGUMENT, "expires_in_seconds must be 1 to " + MAX_EXPIRY_SECONDS);
        try {
            var replay = new Replay(request.maxTokens(), request.temperatureMilli(), request.seed(), request.stop());
            ChatRequest chat = ChatRequest.chat(request.model(), messages(request.messages()), replay);
            byte[] input = chat.bytes();
            WorkRefusal.require(input.length <= WorkService.MAX_INPUT_BYTES, WorkRefusal.INVALID_ARGUMENT,
                    "the messages come to more than " + WorkService.MAX_INPUT_BYTES + " bytes");
            byte[] nonce = new byte[WorkOrder.NONCE_SIZE];
            RANDOM.nextBytes(nonce);
            var order = new WorkOrder(buyer, request.provider(), WorkKind.INFERENCE_CHAT, request.model(), modelDigest,
                    request.tier(), Sha256.hash(input), replay, request.maxCost(), request.reward(), nonce, audience,
                    now + request.expiresInSeconds() * 1000, WorkOrder.Signer.CUSTODIAL);
            return new Built(SignedWorkOrder.sign(order, custodialKey), input);
        } catch (WorkException e) {
            throw WorkRefusal.INVALID_ARGUMENT.refuse(e.getMessage());
        }
    }

    /**
     * What an approval of a custodial order binds: every argument but the fresh nonce (and the
     * expiry, which counts from each call), so that the approved call made again matches it.
     */
    static String argumentsDigest(WorkCalls.SubmitCustodial request) {
        var replay = new Replay(request.maxTokens(), request.temperatureMilli(), request.seed(), request.stop());
        byte[] chat = ChatRequest.chat(request.model(), messages(request.messages()), replay).digest();
        return dev.forge.policies.SpendRequest.digestOf(new dev.forge.economy.codec.CanonicalWriter(160)
                .string("forge/custodial-order-arguments/v1").fixed(chat, Sha256.SIZE).string(request.tier())
                .string(request.provider()).i64(request.maxCost()).i64(request.reward()).i64(request.expiresInSeconds()));
    }

    private static List<ChatRequest.Message> messages(List<WorkCalls.Message> messages) {
        List<ChatRequest.Message> out = new ArrayList<>(messages.size());
        for (WorkCalls.Message m : messages) {
            ChatRequest.Role role = switch (m.role() == null ? "" : m.role().toLowerCase(Locale.ROOT)) {
                case "system" -> ChatRequest.Role.SYSTEM;
                case "user" -> ChatRequest.Role.USER;
                case "assistant" -> ChatRequest.Role.ASSISTANT;
                default -> throw WorkRefusal.INVALID_ARGUMENT.refuse("a message's role is system, user or assistant");
            };
            out.add(new ChatRequest.Message(role, m.content()));
        }
        return out;
    }
}
