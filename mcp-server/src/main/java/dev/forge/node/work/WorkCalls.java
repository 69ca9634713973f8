package dev.forge.node.work;

import dev.forge.economy.work.Check;
import java.util.List;

/**
 * What each work call takes and answers, as plain values: the MCP tools and the REST resource
 * turn JSON into these and these into JSON, and hold no rule of their own. Amounts are µCU,
 * times epoch milliseconds, digests lowercase hex, bodies raw bytes.
 */
public final class WorkCalls {
    private WorkCalls() {
    }

    /**
     * @param bodiesUrl where the provider serves bodies, or ""
     * @param proof the key's signature over {@link dev.forge.economy.work.KeyProof#signedBytes}, or null when missing
     */
    public record RegisterKey(byte[] publicKey, String bodiesUrl, byte[] proof) {
    }

    /** @param audience this node's id, for the audience of an order the caller signs itself */
    public record KeyRegistered(String account, byte[] publicKey, String keyId, String audience, String bodiesUrl) {
    }

    /** An agent's offer of its own work; {@code kinds} are work kind codes. */
    public record AgentOffer(String model, String modelDigest, String tier, long pricePerKiloToken, List<String> kinds,
                             long tokensPerMinute) {
    }

    public record Offered(String provider, String model, String modelDigest, List<String> kinds) {
    }

    public record SubmitSigned(byte[] order, byte[] input) {
    }

    public record Message(String role, String content) {
    }

    /**
     * A chat order the node signs for the caller with the key it keeps for it.
     *
     * @param model a model name, or "" for a tier
     * @param tier a tier name, or "" for a model
     * @param provider the one account that may take it, or "" for any
     */
    public record SubmitCustodial(String model, String tier, String provider, List<Message> messages, int maxTokens,
                                  int temperatureMilli, long seed, List<String> stop, long maxCost, long reward,
                                  long expiresInSeconds) {
    }

    public record Submitted(long orderId, String orderDigest, String state, long held, long expiresAt) {
    }

    /** @param modelDigest only orders for this model (hex), or null for any */
    public record OpenOrdersQuery(String modelDigest, int limit) {
    }

    public record OpenOrder(long orderId, byte[] order, byte[] input, long expiresAt) {
    }

    public record Taken(long orderId, String state, String provider) {
    }

    public record Deliver(long orderId, byte[] attestation, byte[] output) {
    }

    /** @param released what returned to the buyer from the hold */
    public record Delivered(long orderId, String state, long paid, long released, long logIndex) {
    }

    /**
     * Where an order stands, for its buyer, the provider that took it, or the operator.
     *
     * @param provider the taker, or "" while none took it
     * @param paid µCU paid to the provider, or -1 while unsettled
     * @param attestation the settling attestation's bytes, or null
     * @param output the settled output's bytes, or null
     * @param checks the last delivery's checks, empty before any
     */
    public record Status(long orderId, String state, String buyer, String provider, long held, long paid, byte[] attestation,
                         byte[] output, List<Check> checks, long expiresAt) {
    }

    /**
     * A failed check: of a paid chain now ({@code logIndex} its place in the provider's log), or of
     * a delivery refused on arrival ({@code logIndex} -1).
     */
    public record Failure(long orderId, long logIndex, String check, String code, String reason, long at) {
    }

    /**
     * An attestation for auditors: DSSE envelopes (JSON) of its in-toto Statement and of the
     * node's verdict now, both signed by the node's key ({@code keyId}, hex SHA-256 of it).
     */
    public record Export(long orderId, byte[] statement, byte[] verdict, String verificationResult, String keyId) {
    }

    /**
     * A provider's reputation: {@code ratePpm} is {@link dev.forge.economy.work.VerificationRate#ppm()}
     * (value-weighted, with the prior), {@code text} its description.
     */
    public record ProviderRate(String provider, long ratePpm, String text, long checked, long passed, long completed,
                               List<Failure> failures) {
    }
}
