package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Limits;
import dev.forge.economy.market.ModelTier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What a node sells, signed by its node key ({@value #TAG}, field by field in docs/grid.md):
 * where to reach it, its keys, its models with their digests, tiers and prices, how much it
 * can serve, and the window in which the offer holds. A reader trusts none of it until
 * {@link #verify} passed; an offer is worth nothing after {@code expiresAt}.
 *
 * @param capacity how many requests it serves at once
 * @param issuedAt epoch ms
 * @param expiresAt epoch ms, after issuedAt and at most {@link #MAX_LIFETIME_MILLIS} after it
 */
public record GridOffer(String nodeId, String endpoint, byte[] nodeKey, List<AccountKey> accounts, List<Model> models,
                        int capacity, long issuedAt, long expiresAt, byte[] signature) {
    public static final String TAG = "forge/grid-offer/v1";
    public static final int MAX_BYTES = 16 * 1024;
    public static final int MAX_ENDPOINT_BYTES = 256;
    public static final int MAX_ACCOUNTS = 16;
    public static final int MAX_MODELS = 32;
    public static final int MAX_CAPACITY = 4096;
    public static final long MAX_LIFETIME_MILLIS = 3_600_000;
    /** How far ahead of the reader's clock an offer may be issued. */
    public static final long CLOCK_SKEW_MILLIS = 60_000;

    /** An account of the node (a provider account, say) and its Ed25519 key. */
    public record AccountKey(String account, byte[] key) {
        public AccountKey {
            require(AccountSpec.validId(account), "account id is invalid");
            require(key != null && key.length == Ed25519.PUBLIC_KEY_SIZE, "account key must be 32 bytes");
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof AccountKey a && account.equals(a.account) && Arrays.equals(key, a.key);
        }

        @Override
        public int hashCode() {
            return account.hashCode();
        }
    }

    /**
     * A model it serves.
     *
     * @param digest the RFC 6962 root of the model folder (as in an attestation)
     * @param pricePerKiloToken µCU per 1,000 tokens
     */
    public record Model(String name, byte[] digest, ModelTier tier, long pricePerKiloToken, long tokensPerMinute) {
        public Model {
            require(name != null && name.matches("[A-Za-z0-9._:/-]{1,64}"), "model name is 1-64 of A-Z a-z 0-9 . _ : / -");
            require(digest != null && digest.length == Sha256.SIZE, "model digest must be 32 bytes");
            digest = digest.clone();
            require(tier != null, "a model needs a tier");
            require(pricePerKiloToken >= 0 && pricePerKiloToken <= Limits.MAX_AMOUNT, "price out of range");
            require(tokensPerMinute > 0 && tokensPerMinute <= 1_000_000_000L, "capacity must be 1 to 1e9 tokens per minute");
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Model m && name.equals(m.name) && Arrays.equals(digest, m.digest) && tier == m.tier
                    && pricePerKiloToken == m.pricePerKiloToken && tokensPerMinute == m.tokensPerMinute;
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    public GridOffer {
        require(nodeId != null && nodeId.startsWith(NodeIdentity.PREFIX) && nodeId.length() <= 64, "node id must be node-<hex>");
        require(endpoint != null && endpoint.getBytes(StandardCharsets.UTF_8).length <= MAX_ENDPOINT_BYTES,
                "endpoint is at most " + MAX_ENDPOINT_BYTES + " bytes");
        require(nodeKey != null && nodeKey.length == Ed25519.PUBLIC_KEY_SIZE, "node key must be 32 bytes");
        nodeKey = nodeKey.clone();
        accounts = List.copyOf(accounts);
        models = List.copyOf(models);
        require(accounts.size() <= MAX_ACCOUNTS && models.size() <= MAX_MODELS, "too many accounts or models");
        require(capacity >= 1 && capacity <= MAX_CAPACITY, "capacity must be 1 to " + MAX_CAPACITY);
        require(issuedAt > 0 && expiresAt > issuedAt && expiresAt - issuedAt <= MAX_LIFETIME_MILLIS,
                "an offer lives after its issue, for at most an hour");
        require(signature != null && signature.length == Ed25519.SIGNATURE_SIZE, "signature must be 64 bytes");
        signature = signature.clone();
    }

    public static GridOffer sign(NodeIdentity node, String endpoint, List<AccountKey> accounts, List<Model> models,
                                 int capacity, long issuedAt, long expiresAt) {
        var unsigned = new GridOffer(node.id(), endpoint, node.publicKey(), accounts, models, capacity, issuedAt, expiresAt,
                new byte[Ed25519.SIGNATURE_SIZE]);
        return unsigned.withSignature(node.sign(unsigned.signedBytes()));
    }

    private GridOffer withSignature(byte[] newSignature) {
        return new GridOffer(nodeId, endpoint, nodeKey, accounts, models, capacity, issuedAt, expiresAt, newSignature);
    }

    /** Whether the offer may be used at {@code now}: the node's own key signed it and it has not expired. */
    public boolean verify(long now) {
        if (!NodeIdentity.owns(nodeId, nodeKey)) return false;
        var key = Ed25519.PublicKey.decode(nodeKey);
        return key != null && key.verify(signedBytes(), signature) && now < expiresAt
                && issuedAt <= now + CLOCK_SKEW_MILLIS;
    }

    public byte[] signedBytes() {
        var out = new CanonicalWriter(512).string(TAG).string(nodeId).string(endpoint).fixed(nodeKey, Ed25519.PUBLIC_KEY_SIZE);
        out.u8(accounts.size());
        for (AccountKey account : accounts) out.string(account.account()).fixed(account.key, Ed25519.PUBLIC_KEY_SIZE);
        out.u8(models.size());
        for (Model model : models) {
            out.string(model.name()).fixed(model.digest, Sha256.SIZE).string(model.tier().name())
                    .i64(model.pricePerKiloToken()).i64(model.tokensPerMinute());
        }
        return out.i32(capacity).i64(issuedAt).i64(expiresAt).toByteArray();
    }

    public byte[] encode() {
        byte[] signed = signedBytes();
        return new CanonicalWriter(signed.length + 64).fixed(signed, signed.length).fixed(signature, Ed25519.SIGNATURE_SIZE)
                .toByteArray();
    }

    /** Parses an offer; anything but its canonical bytes throws {@link IllegalArgumentException}. */
    public static GridOffer decode(byte[] bytes) {
        require(bytes != null && bytes.length <= MAX_BYTES, "an offer is at most " + MAX_BYTES + " bytes");
        try {
            var in = new CanonicalReader(bytes);
            require(TAG.equals(in.string()), "not a " + TAG);
            String nodeId = in.string();
            String endpoint = in.string();
            byte[] nodeKey = in.fixed(Ed25519.PUBLIC_KEY_SIZE);
            int accountCount = in.u8();
            require(accountCount <= MAX_ACCOUNTS, "too many accounts");
            var accounts = new java.util.ArrayList<AccountKey>(accountCount);
            for (int i = 0; i < accountCount; i++) accounts.add(new AccountKey(in.string(), in.fixed(Ed25519.PUBLIC_KEY_SIZE)));
            int modelCount = in.u8();
            require(modelCount <= MAX_MODELS, "too many models");
            var models = new java.util.ArrayList<Model>(modelCount);
            for (int i = 0; i < modelCount; i++) {
                models.add(new Model(in.string(), in.fixed(Sha256.SIZE), tier(in.string()), in.i64(), in.i64()));
            }
            var offer = new GridOffer(nodeId, endpoint, nodeKey, accounts, models, in.i32(), in.i64(), in.i64(),
                    in.fixed(Ed25519.SIGNATURE_SIZE));
            in.expectEnd();
            return offer;
        } catch (MalformedEncodingException e) {
            throw new IllegalArgumentException("offer bytes are malformed: " + e.getMessage());
        }
    }

    private static ModelTier tier(String name) {
        for (ModelTier tier : ModelTier.values()) if (tier.name().equals(name)) return tier;
        throw new IllegalArgumentException("unknown tier " + name);
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }

    @Override
    public byte[] nodeKey() {
        return nodeKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GridOffer o && Arrays.equals(encode(), o.encode());
    }

    @Override
    public int hashCode() {
        return nodeId.hashCode() * 31 + Long.hashCode(issuedAt);
    }
}
