package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.market.Cu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The checks that need nothing but the two records, the parties' keys and what the verifier
 * knows of the provider's log: signatures, the binding of the attestation to its order, and
 * the provider's hash chain. Each check runs and is reported, so an auditor sees every reason,
 * not just the first. {@code docs/ledger.md} states each check so others can re-implement it.
 */
public final class WorkVerifier {
    /**
     * What the verifier knows besides the records.
     *
     * @param now when the attestation arrived, epoch ms
     * @param audience this verifier's node id; an order for another node (and not the grid) fails
     * @param nonceUsed whether the buyer already spent a nonce (given as the hex of buyer and nonce)
     * @param chain the provider's log as verified so far
     */
    public record Context(long now, String audience, Predicate<String> nonceUsed, ChainTip chain) {
    }

    /** The last verified link of a provider's chain: the next attestation must follow it. */
    public record ChainTip(long nextIndex, byte[] lastDigest) {
        public static ChainTip empty() {
            return new ChainTip(0, Attestation.noPrevious());
        }

        public ChainTip after(SignedAttestation attestation) {
            return new ChainTip(attestation.attestation().logIndex() + 1, attestation.digest());
        }
    }

    private WorkVerifier() {
    }

    public static Verification verify(SignedWorkOrder signedOrder, SignedAttestation signedAttestation,
                                      Ed25519.PublicKey orderKey, Ed25519.PublicKey providerKey, Context context) {
        WorkOrder order = signedOrder.order();
        Attestation attestation = signedAttestation.attestation();
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("signature.order", signedOrder.verifies(orderKey), "invalid_signature",
                "the order's signature does not verify with the " + order.signer().name().toLowerCase() + " key"));
        checks.add(Check.of("signature.attestation", signedAttestation.verifies(providerKey), "invalid_signature",
                "the attestation's signature does not verify with " + attestation.provider() + "'s key"));
        binding(signedOrder, attestation, context, checks);
        chain(attestation, context.chain(), checks);
        return new Verification(checks);
    }

    /**
     * The checks that need the verifier's state, without the two signatures: for a ledger that
     * checked the order's signature when it accepted it and the attestation's before this,
     * so that its one writer thread spends no time on Ed25519.
     */
    public static Verification verifyBinding(SignedWorkOrder signedOrder, SignedAttestation signedAttestation,
                                             Context context) {
        List<Check> checks = new ArrayList<>();
        binding(signedOrder, signedAttestation.attestation(), context, checks);
        chain(signedAttestation.attestation(), context.chain(), checks);
        return new Verification(checks);
    }

    /** Re-parses both records from their bytes first: bytes that are not canonical fail as format. */
    public static Verification verify(byte[] orderBytes, byte[] attestationBytes, Ed25519.PublicKey orderKey,
                                      Ed25519.PublicKey providerKey, Context context) {
        try {
            return verify(SignedWorkOrder.decode(orderBytes), SignedAttestation.decode(attestationBytes), orderKey,
                    providerKey, context);
        } catch (WorkException e) {
            return new Verification(List.of(new Check("format", Check.Verdict.FAIL, e.code().code(), e.getMessage())));
        }
    }

    private static void binding(SignedWorkOrder signedOrder, Attestation a, Context context, List<Check> checks) {
        WorkOrder order = signedOrder.order();
        checks.add(Check.of("binding.order", Arrays.equals(a.orderDigest(), signedOrder.digest()), "order_mismatch",
                "the attestation names another order"));
        checks.add(Check.of("binding.provider", order.openToAny() || order.provider().equals(a.provider()), "wrong_provider",
                "the order is for " + order.provider() + ", attested by " + a.provider()));
        checks.add(Check.of("binding.input", Arrays.equals(a.inputDigest(), order.inputDigest()), "input_mismatch",
                "the attested input is not the ordered one"));
        checks.add(Check.of("binding.model", order.model().isEmpty() || Arrays.equals(a.modelDigest(), order.modelDigest()),
                "model_mismatch", "the attested model is not the ordered one"));
        checks.add(Check.of("binding.replay", a.replay().equals(order.replay()), "replay_mismatch",
                "the parameters as run differ from the ordered ones"));
        checks.add(Check.of("binding.tokens", a.completionTokens() <= order.replay().maxTokens(), "tokens_exceed_order",
                a.completionTokens() + " tokens generated, the order allows " + order.replay().maxTokens()));
        checks.add(Check.of("binding.amount", a.amount() <= order.maxCost(), "amount_exceeds_order",
                "the attestation charges " + Cu.format(a.amount()) + " CU, the order allows " + Cu.format(order.maxCost())));
        long tokens = (long) a.promptTokens() + a.completionTokens();
        checks.add(Check.of("binding.price", a.amount() == Cu.cost(tokens, a.pricePerKiloToken()), "amount_mismatch",
                "the amount is not the tokens at the stated price"));
        checks.add(Check.of("binding.expiry", a.finishedAt() <= order.expiresAt() && context.now() <= order.expiresAt(),
                "order_expired", "delivered after the order expired"));
        checks.add(Check.of("binding.audience", order.audience().equals(WorkOrder.GRID) || order.audience().equals(context.audience()),
                "wrong_audience", "the order is for " + order.audience()));
        checks.add(Check.of("binding.nonce", !context.nonceUsed().test(nonceKey(order)), "nonce_reused",
                "the buyer used this nonce before"));
    }

    private static void chain(Attestation a, ChainTip tip, List<Check> checks) {
        checks.add(Check.of("chain.index", a.logIndex() == tip.nextIndex(), "chain_gap",
                "log index " + a.logIndex() + ", expected " + tip.nextIndex()));
        checks.add(Check.of("chain.previous", Arrays.equals(a.previousDigest(), tip.lastDigest()), "chain_broken",
                "the previous digest is not the provider's last attestation"));
    }

    /** How a buyer's nonce is named for the used-nonce set. */
    public static String nonceKey(WorkOrder order) {
        return order.buyer() + ":" + java.util.HexFormat.of().formatHex(order.nonce());
    }
}
