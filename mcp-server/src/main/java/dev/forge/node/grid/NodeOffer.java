package dev.forge.node.grid;

import dev.forge.economy.market.Market;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.market.ProviderView;
import dev.forge.grid.GridOffer;
import dev.forge.grid.NodeIdentity;
import dev.forge.inference.InferenceEngine;
import dev.forge.inference.LocalModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The node's offer as the grid sees it, signed fresh at each refresh: every model it serves
 * (with its folder's digest, its tier, its market price now and the capacity offered), the
 * provider account and its key, where it serves and how many requests it takes at once. A price
 * it signed is kept until that offer expires ({@link #signedPrice}): a buyer holds at the price it
 * read, and the market price may have risen since.
 */
final class NodeOffer {
    private static final String MODEL_NAME = "[A-Za-z0-9._:/-]{1,64}";

    private final NodeIdentity node;
    private final String provider;
    private final Market market;
    private final InferenceEngine engine;
    private final Supplier<String> endpoint;
    private final int capacity;
    private final long ttlMillis;
    private final Map<String, Deque<SignedPrice>> signed = new ConcurrentHashMap<>();

    private record SignedPrice(long pricePerKiloToken, long expiresAt) {
    }

    NodeOffer(NodeIdentity node, String provider, Market market, InferenceEngine engine, Supplier<String> endpoint,
              int capacity, long ttlMillis) {
        this.node = node;
        this.provider = provider;
        this.market = market;
        this.engine = engine;
        this.endpoint = endpoint;
        this.capacity = Math.clamp(capacity, 1, GridOffer.MAX_CAPACITY);
        this.ttlMillis = ttlMillis;
    }

    /** The signed offer now, or null while the node has no endpoint yet: an offer nobody can reach is no offer. */
    GridOffer at(long now) {
        String where = endpoint.get();
        if (where == null || where.isEmpty()) return null;
        List<GridOffer.Model> models = new ArrayList<>();
        for (LocalModel model : engine.models()) {
            if (models.size() == GridOffer.MAX_MODELS || !model.name().matches(MODEL_NAME)) continue;
            market.providers(model.name()).stream().filter(v -> v.offer().provider().equals(provider)).findFirst()
                    .ifPresent(view -> models.add(model(model, view)));
        }
        for (GridOffer.Model m : models) remember(m.name(), m.pricePerKiloToken(), now + ttlMillis);
        var accounts = List.of(new GridOffer.AccountKey(provider, node.publicKey()));
        return GridOffer.sign(node, where, accounts, models, capacity, now, now + ttlMillis);
    }

    /** The lowest price this node signed for {@code model} in an offer not expired at {@code now}; Long.MAX_VALUE if none. */
    long signedPrice(String model, long now) {
        var prices = signed.get(model);
        if (prices == null) return Long.MAX_VALUE;
        synchronized (prices) {
            prices.removeIf(p -> p.expiresAt() <= now);
            return prices.stream().mapToLong(SignedPrice::pricePerKiloToken).min().orElse(Long.MAX_VALUE);
        }
    }

    private void remember(String model, long price, long expiresAt) {
        var prices = signed.computeIfAbsent(model, m -> new ArrayDeque<>());
        synchronized (prices) {
            prices.removeIf(p -> p.expiresAt() <= expiresAt - ttlMillis); // expired by the time of this one
            prices.add(new SignedPrice(price, expiresAt));
        }
    }

    private GridOffer.Model model(LocalModel model, ProviderView view) {
        // The folder's digest as the engine computed it when the model loaded.
        return new GridOffer.Model(model.name(), model.digest(), ModelTier.valueOf(model.tier().name()), view.pricePerKiloToken(),
                view.offer().tokensPerMinute());
    }
}
