package dev.forge.node.work;

import static dev.forge.node.work.WorkRefusal.require;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.market.Market;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.market.Offer;
import dev.forge.economy.work.KeyProof;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkKind;
import dev.forge.node.work.WorkCalls.AgentOffer;
import dev.forge.node.work.WorkCalls.KeyRegistered;
import dev.forge.node.work.WorkCalls.Offered;
import dev.forge.node.work.WorkCalls.RegisterKey;
import java.net.URI;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The agents that sell work here: their registered keys (each with its own ledger account,
 * see {@link RegisteredKey}) and their offers, kept in the work store and listed in the market.
 */
final class ProviderRegistry {
    private static final HexFormat HEX = HexFormat.of();
    private final WorkStore store;
    private final Ledger ledger;
    private final Market market;
    private final String audience;
    private final InstantSource clock;

    ProviderRegistry(WorkStore store, Ledger ledger, Market market, String audience, InstantSource clock) {
        this.store = store;
        this.ledger = ledger;
        this.market = market;
        this.audience = audience;
        this.clock = clock;
    }

    synchronized KeyRegistered register(String agent, RegisterKey request) {
        byte[] key = request.publicKey();
        require(key != null && Ed25519.PublicKey.decode(key) != null, WorkRefusal.INVALID_ARGUMENT,
                "public_key must be the base64 of a valid 32-byte Ed25519 public key");
        String url = bodiesUrl(request.bodiesUrl());
        // Nothing is stored, not even a new bodies_url, unless the key's holder signed this very registration.
        require(KeyProof.verifies(request.proof(), agent, key, audience, url), WorkRefusal.KEY_PROOF_INVALID,
                "proof must be the base64 of your key's Ed25519 signature over forge/key-proof/v1 for agent " + agent
                        + ", this key, node " + audience + " and bodies_url \"" + url + "\" (docs/work.md)");
        Optional<RegisteredKey> existing = store.key(agent);
        if (existing.isPresent()) {
            require(Arrays.equals(existing.get().publicKey(), key), WorkRefusal.KEY_EXISTS,
                    agent + " registered another key (" + existing.get().keyId() + "); a key cannot be replaced yet");
            if (!existing.get().bodiesUrl().equals(url)) store.putKey(new RegisteredKey(agent, key, url, clock.millis()));
            return registered(store.key(agent).orElseThrow());
        }
        String account = RegisteredKey.accountOf(key);
        require(store.agentOfAccount(account).isEmpty(), WorkRefusal.KEY_EXISTS, "another agent registered this key");
        ledger.openAccount(AccountSpec.provider(account, key));
        var registered = new RegisteredKey(agent, key, url, clock.millis());
        store.putKey(registered);
        return registered(registered);
    }

    private KeyRegistered registered(RegisteredKey key) {
        return new KeyRegistered(key.account(), key.publicKey(), key.keyId(), audience, key.bodiesUrl());
    }

    private static String bodiesUrl(String url) {
        if (url == null || url.isEmpty()) return "";
        require(url.length() <= WorkService.MAX_URL_CHARS, WorkRefusal.INVALID_ARGUMENT,
                "bodies_url is longer than " + WorkService.MAX_URL_CHARS);
        try {
            URI uri = new URI(url);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            require(http && uri.getHost() != null && uri.getUserInfo() == null && uri.getQuery() == null
                    && uri.getFragment() == null, WorkRefusal.INVALID_ARGUMENT,
                    "bodies_url must be an http(s) URL with a host and no user, query or fragment");
            return url;
        } catch (java.net.URISyntaxException e) {
            throw WorkRefusal.INVALID_ARGUMENT.refuse("bodies_url is not a URL");
        }
    }

    RegisteredKey requireKey(String agent) {
        return store.key(agent).orElseThrow(() -> WorkRefusal.KEY_NOT_REGISTERED.refuse(
                "register your own Ed25519 public key first (register_key); the node never holds it"));
    }

    Offered offer(RegisteredKey key, AgentOffer offer) {
        require(offer.modelDigest() != null && offer.modelDigest().matches("[0-9a-f]{64}"), WorkRefusal.INVALID_ARGUMENT,
                "model_digest must be 64 lowercase hex characters");
        ModelTier tier = tier(offer.tier());
        List<String> kinds = offer.kinds().isEmpty() ? List.of(WorkKind.INFERENCE_CHAT.code()) : List.copyOf(offer.kinds());
        require(kinds.size() <= WorkKind.values().length, WorkRefusal.INVALID_ARGUMENT, "too many kinds");
        for (String kind : kinds) kind(kind);
        market.offer(new Offer(key.account(), offer.model(), tier, offer.pricePerKiloToken(), offer.tokensPerMinute()));
        var offered = new Offered(key.account(), offer.model(), offer.modelDigest(), kinds);
        store.putOffer(key.account(), offer.model(), new StoredOffer(offered, tier, offer.pricePerKiloToken(),
                offer.tokensPerMinute()).encode());
        return offered;
    }

    void restoreOffers() {
        for (byte[] bytes : store.offers()) {
            StoredOffer o = StoredOffer.decode(bytes);
            market.offer(new Offer(o.offered().provider(), o.offered().model(), o.tier(), o.pricePerKiloToken(), o.tokensPerMinute()));
        }
    }

    static ModelTier tier(String name) {
        try {
            return ModelTier.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw WorkRefusal.INVALID_ARGUMENT.refuse("tier must be one of tiny, small, medium, large");
        }
    }

    private static WorkKind kind(String code) {
        try {
            return WorkKind.ofCode(code);
        } catch (WorkException e) {
            throw WorkRefusal.INVALID_ARGUMENT.refuse("kinds: unknown work kind; this node knows inference.chat.v1 and eval.v1");
        }
    }

    /**
     * The model digest that the offers of {@code model} (the named provider's, if one is named)
     * agree on, among the offers that take {@code kind}: an order of a kind its provider does not
     * offer would never be taken and only expire.
     */
    byte[] offeredDigest(String model, String provider, WorkKind kind) {
        List<Offered> offers = store.offers().stream().map(StoredOffer::decode).map(StoredOffer::offered)
                .filter(o -> o.model().equals(model) && (provider.isEmpty() || o.provider().equals(provider))).toList();
        WorkRefusal.require(!offers.isEmpty(), WorkRefusal.NO_OFFER,
                "no provider offers " + model + (provider.isEmpty() ? "" : " as " + provider) + "; see providers");
        List<String> digests = offers.stream().filter(o -> o.kinds().contains(kind.code())).map(Offered::modelDigest)
                .distinct().toList();
        WorkRefusal.require(!digests.isEmpty(), WorkRefusal.KIND_NOT_OFFERED, (provider.isEmpty() ? "no provider" : provider)
                + " offers " + kind.code() + " work on " + model + "; see providers (kinds)");
        WorkRefusal.require(digests.size() == 1, WorkRefusal.INVALID_ARGUMENT,
                "providers offer " + model + " with different digests; name the provider");
        return HEX.parseHex(digests.getFirst());
    }
}
