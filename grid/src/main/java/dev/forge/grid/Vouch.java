package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Limits;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkOrder;
import java.util.Arrays;

/**
 * The buyer's home node vouching for remote work ({@value #TAG}, field by field in
 * docs/grid.md): "I hold {@code maxCost} µCU of {@code buyer}'s money for this order, until
 * {@code expiresAt}". Only the home node holds an agent's funds, so the provider's node never
 * sees the buyer's money, only this promise signed by the home node's key. The order inside is
 * custodial and signed by the same home node key: the home node is the custodian of its agents'
 * keys toward the grid, so the provider needs no key registry for agents of other nodes.
 *
 * @param input the order's input body (the canonical chat request), SHA-256 of which the order names
 */
public record Vouch(String homeNodeId, byte[] homeNodeKey, String providerNodeId, String buyer, long maxCost,
                    long issuedAt, long expiresAt, SignedWorkOrder order, byte[] input, byte[] signature) {
    public static final String TAG = "forge/vouch/v1";
    public static final int MAX_ORDER_BYTES = 16 * 1024;
    /** A prompt of 200,000 characters is at most 800 KB of UTF-8; NATS carries 1 MB by default. */
    public static final int MAX_INPUT_BYTES = 900 * 1024;
    public static final int MAX_BYTES = MAX_INPUT_BYTES + MAX_ORDER_BYTES + 1024;
    /** How far ahead of the provider's clock a vouch may be issued. */
    public static final long CLOCK_SKEW_MILLIS = 60_000;

    public Vouch {
        require(nodeId(homeNodeId) && nodeId(providerNodeId) && !homeNodeId.equals(providerNodeId),
                "home and provider node ids are two different node-<40 hex>");
        require(homeNodeKey != null && homeNodeKey.length == Ed25519.PUBLIC_KEY_SIZE, "home node key must be 32 bytes");
        homeNodeKey = homeNodeKey.clone();
        require(AccountSpec.validId(buyer), "buyer must be an account id");
        require(maxCost > 0 && maxCost <= Limits.MAX_AMOUNT, "max cost must be positive and within limits");
        require(issuedAt > 0 && expiresAt > issuedAt, "a vouch expires after it was issued");
        require(order != null, "a vouch carries its order");
        require(input != null && input.length <= MAX_INPUT_BYTES, "input is at most " + MAX_INPUT_BYTES + " bytes");
        input = input.clone();
        require(signature != null && signature.length == Ed25519.SIGNATURE_SIZE, "signature must be 64 bytes");
        signature = signature.clone();
    }

    public static Vouch sign(NodeIdentity home, String providerNodeId, String buyer, long maxCost, long issuedAt,
                             long expiresAt, SignedWorkOrder order, byte[] input) {
        var unsigned = new Vouch(home.id(), home.publicKey(), providerNodeId, buyer, maxCost, issuedAt, expiresAt, order,
                input, new byte[Ed25519.SIGNATURE_SIZE]);
        return new Vouch(home.id(), home.publicKey(), providerNodeId, buyer, maxCost, issuedAt, expiresAt, order, input,
                home.sign(unsigned.signedBytes()));
    }

    /**
     * Every check the provider's node makes before it runs anything, except those that need its
     * own state (the model and price it serves, whether it saw the order before, its capacity).
     *
     * @param providerNodeId the checking node's own id
     * @throws RemoteWorkException with the first failing check's code
     */
    public void verify(String providerNodeId, long now) {
        RemoteWorkException.require(NodeIdentity.owns(homeNodeId, homeNodeKey), RemoteRefusal.FORGED_SIGNATURE,
                "the key is not the one " + homeNodeId + " names");
        Ed25519.PublicKey key = Ed25519.PublicKey.decode(homeNodeKey);
        RemoteWorkException.require(key != null && key.verify(signedBytes(), signature), RemoteRefusal.FORGED_SIGNATURE,
                "the vouch's signature does not verify with " + homeNodeId + "'s key");
        RemoteWorkException.require(order.verifies(key), RemoteRefusal.FORGED_SIGNATURE,
                "the order is not signed by " + homeNodeId + "'s key");
        WorkOrder o = order.order();
        RemoteWorkException.require(this.providerNodeId.equals(providerNodeId) && o.audience().equals(providerNodeId),
                RemoteRefusal.BINDING_MISMATCH, "the vouch and its order are for " + o.audience() + ", not " + providerNodeId);
        RemoteWorkException.require(o.signer() == WorkOrder.Signer.CUSTODIAL && o.buyer().equals(buyer)
                        && o.maxPayment() == maxCost && o.reward() == 0 && !o.openToAny()
                        && Arrays.equals(o.inputDigest(), Sha256.hash(input)) && expiresAt <= o.expiresAt(),
                RemoteRefusal.BINDING_MISMATCH, "the vouch does not match its order (buyer, cost, input or expiry)");
        RemoteWorkException.require(now < expiresAt, RemoteRefusal.EXPIRED, "the vouch expired at " + expiresAt);
        RemoteWorkException.require(issuedAt <= now + CLOCK_SKEW_MILLIS, RemoteRefusal.EXPIRED,
                "the vouch was issued in the future");
    }

    /** What the provider remembers to refuse a replay: the signed order's digest. */
    public byte[] orderDigest() {
        return order.digest();
    }

    public byte[] signedBytes() {
        byte[] orderBytes = order.encode();
        return new CanonicalWriter(256 + orderBytes.length + input.length).string(TAG).string(homeNodeId)
                .fixed(homeNodeKey, Ed25519.PUBLIC_KEY_SIZE).string(providerNodeId).string(buyer).i64(maxCost)
                .i64(issuedAt).i64(expiresAt).block(orderBytes).block(input).toByteArray();
    }

    public byte[] encode() {
        byte[] signed = signedBytes();
        return new CanonicalWriter(signed.length + Ed25519.SIGNATURE_SIZE).fixed(signed, signed.length)
                .fixed(signature, Ed25519.SIGNATURE_SIZE).toByteArray();
    }

    /** Parses a vouch; anything but canonical bytes within the bounds is {@link RemoteRefusal#MALFORMED}. */
    public static Vouch decode(byte[] bytes) {
        RemoteWorkException.require(bytes != null && bytes.length <= MAX_BYTES, RemoteRefusal.MALFORMED,
                "a vouch is at most " + MAX_BYTES + " bytes");
        try {
            var in = new CanonicalReader(bytes);
            RemoteWorkException.require(TAG.equals(in.string()), RemoteRefusal.MALFORMED, "not a " + TAG);
            String home = in.string();
            byte[] key = in.fixed(Ed25519.PUBLIC_KEY_SIZE);
            String provider = in.string();
            String buyer = in.string();
            long maxCost = in.i64();
            long issuedAt = in.i64();
            long expiresAt = in.i64();
            byte[] orderBytes = in.block();
            RemoteWorkException.require(orderBytes.length <= MAX_ORDER_BYTES, RemoteRefusal.MALFORMED, "order too long");
            SignedWorkOrder order = SignedWorkOrder.decode(orderBytes);
            RemoteWorkException.require(Arrays.equals(order.encode(), orderBytes), RemoteRefusal.MALFORMED,
                    "the order is not canonical");
            byte[] input = in.block();
            var vouch = new Vouch(home, key, provider, buyer, maxCost, issuedAt, expiresAt, order, input,
                    in.fixed(Ed25519.SIGNATURE_SIZE));
            in.expectEnd();
            return vouch;
        } catch (MalformedEncodingException | IllegalArgumentException | WorkException e) {
            throw new RemoteWorkException(RemoteRefusal.MALFORMED, "vouch bytes are malformed: " + e.getMessage());
        }
    }

    private static boolean nodeId(String id) {
        return id != null && id.matches(NodeIdentity.PREFIX + "[0-9a-f]{40}");
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }

    @Override public byte[] homeNodeKey() { return homeNodeKey.clone(); }

    @Override public byte[] input() { return input.clone(); }

    @Override public byte[] signature() { return signature.clone(); }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vouch v && Arrays.equals(encode(), v.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }
}
