package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Limits;
import java.util.Arrays;

/**
 * What a buyer orders and the most it pays, signed by the buyer (or by its node, for a
 * custodial buyer: {@link #signer}). The bytes are {@value #TAG}, field by field in
 * {@code docs/ledger.md}.
 *
 * @param provider the account that may fulfil it, or "" for any provider
 * @param model a model name, or "" when the order names a tier
 * @param modelDigest the model folder's RFC 6962 root ({@link ModelDigest}), or 32 zero bytes with a tier
 * @param tier a tier name, or "" when a model is named
 * @param inputDigest SHA-256 of the canonical input (for chats, the request digest)
 * @param maxCost the most the tokens may cost, µCU
 * @param reward paid on top of the token cost when the work verifies, µCU (0 for none)
 * @param nonce 16 random bytes: one order per nonce per buyer
 * @param audience the node id the order is for, or {@value #GRID}
 * @param expiresAt epoch milliseconds: an attestation finished after this is refused
 */
public record WorkOrder(
        String buyer,
        String provider,
        WorkKind kind,
        String model,
        byte[] modelDigest,
        String tier,
        byte[] inputDigest,
        Replay replay,
        long maxCost,
        long reward,
        byte[] nonce,
        String audience,
        long expiresAt,
        Signer signer) {

    public static final String TAG = "forge/work-order/v1";
    public static final String GRID = "grid";
    public static final int NONCE_SIZE = 16;
    private static final int MAX_NAME_BYTES = 64;

    /** Who signed the order: the buyer's own key, or the buyer's node holding it in custody. */
    public enum Signer {
        BUYER(1), CUSTODIAL(2);

        private final int code;

        Signer(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Signer ofCode(int code) {
            return Arrays.stream(values()).filter(s -> s.code == code).findFirst()
                    .orElseThrow(() -> new WorkException(WorkException.Code.INVALID_FIELD, "unknown signer " + code));
        }
    }

    public WorkOrder {
        WorkException.require(AccountSpec.validId(buyer), "buyer must be an account id");
        WorkException.require(provider != null && (provider.isEmpty() || AccountSpec.validId(provider)),
                "provider must be an account id or empty");
        WorkException.require(!buyer.equals(provider), "buyer and provider must differ");
        WorkException.require(kind != null && replay != null && signer != null, "kind, replay and signer are required");
        Bytes.text(model, Limits.MAX_MODEL_BYTES, true, "model");
        Bytes.text(tier, MAX_NAME_BYTES, true, "tier");
        WorkException.require(model.isEmpty() != tier.isEmpty(), "name exactly one of model and tier");
        modelDigest = Bytes.exact(modelDigest, Sha256.SIZE, "model digest");
        WorkException.require(model.isEmpty() == isZero(modelDigest), "a named model carries its digest; a tier carries zeros");
        inputDigest = Bytes.exact(inputDigest, Sha256.SIZE, "input digest");
        WorkException.require(maxCost > 0 && maxCost <= Limits.MAX_AMOUNT, "max cost must be positive and within limits");
        WorkException.require(reward >= 0 && reward <= Limits.MAX_AMOUNT - maxCost, "reward must be 0 or more, within limits");
        nonce = Bytes.exact(nonce, NONCE_SIZE, "nonce");
        Bytes.text(audience, MAX_NAME_BYTES, false, "audience");
        WorkException.require(expiresAt > 0, "expiry must be a positive epoch time");
    }

    /** The most the buyer can pay for this order: the money held when a node accepts it. */
    public long maxPayment() {
        return maxCost + reward;
    }

    public boolean openToAny() {
        return provider.isEmpty();
    }

    /** The exact bytes the buyer signs. */
    public byte[] signedBytes() {
        return write(new CanonicalWriter(256)).toByteArray();
    }

    CanonicalWriter write(CanonicalWriter out) {
        out.string(TAG).string(buyer).string(provider).string(kind.code()).string(model).fixed(modelDigest, Sha256.SIZE)
                .string(tier).fixed(inputDigest, Sha256.SIZE);
        return replay.write(out).i64(maxCost).i64(reward).fixed(nonce, NONCE_SIZE).string(audience).i64(expiresAt)
                .u8(signer.code());
    }

    static WorkOrder read(CanonicalReader in) {
        Bytes.expectTag(in, TAG);
        return new WorkOrder(in.string(), in.string(), WorkKind.ofCode(in.string()), in.string(), in.fixed(Sha256.SIZE),
                in.string(), in.fixed(Sha256.SIZE), Replay.read(in), in.i64(), in.i64(), in.fixed(NONCE_SIZE), in.string(),
                in.i64(), Signer.ofCode(in.u8()));
    }

    public static WorkOrder decode(byte[] bytes) {
        return Bytes.decode(bytes, "work order", WorkOrder::read);
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) if (b != 0) return false;
        return true;
    }

    @Override
    public byte[] modelDigest() {
        return modelDigest.clone();
    }

    @Override
    public byte[] inputDigest() {
        return inputDigest.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WorkOrder o && Arrays.equals(signedBytes(), o.signedBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce) * 31 + buyer.hashCode();
    }
}
