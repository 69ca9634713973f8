package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.market.Market;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.market.Offer;
import dev.forge.economy.market.ProviderFilter;
import dev.forge.economy.market.ProviderView;
import dev.forge.economy.market.Quote;
import dev.forge.economy.market.Route;
import dev.forge.economy.market.RouteMode;
import dev.forge.economy.market.RouteRequest;
import dev.forge.economy.market.TierPrice;
import dev.forge.inference.InferenceEngine;
import dev.forge.node.ForgeNode;
import dev.forge.node.app.CallRefused;
import dev.forge.node.work.BuyerFilters;
import dev.forge.policies.Actor;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** The market as a caller sees it: prices, offers, routing, the trades and the Merkle log over them, and the node's own offer. */
public final class MarketService {
    /** The most tokens a quote or a route may be asked for. */
    public static final int MAX_QUOTE_TOKENS = 10_000_000;
    public static final int DEFAULT_MAX_TOKENS = 256;

    private final Ledger ledger;
    private final Market market;
    private final InferenceEngine engine;
    private final GridViews.Source grid;

    public MarketService(Ledger ledger, Market market, InferenceEngine engine) {
        this(ledger, market, engine, GridViews.ALONE);
    }

    /** @param grid the grid this node joined, whose live offers providers and route list ({@link GridViews#ALONE} if none) */
    public MarketService(Ledger ledger, Market market, InferenceEngine engine, GridViews.Source grid) {
        this.ledger = ledger;
        this.market = market;
        this.engine = engine;
        this.grid = grid;
    }

    // ---- pricing ----

    public record PricingRequest(
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("a model this node serves") String model,
            @Nullable @Min(0) @Max(MAX_QUOTE_TOKENS) @JsonPropertyDescription("tokens in your prompt") Integer promptTokens,
            @Nullable @Min(1) @Max(MAX_QUOTE_TOKENS) @JsonPropertyDescription("the most tokens you will let the model write")
            Integer maxTokens) {
    }

    public record TierPriceView(
            @JsonPropertyDescription("tiny, small, medium or large") String tier,
            @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("price per 1,000 tokens now") Amount pricePerKiloTokenCu,
            @JsonProperty("base_per_1k_cu") @JsonPropertyDescription("the tier's base price") Amount basePerKiloTokenCu,
            @JsonPropertyDescription("price over base") double factor,
            @JsonPropertyDescription("demand over capacity, 0 to 1") double utilization,
            @JsonPropertyDescription("capacity offered in the tier") long capacityTokensPerMinute) {
    }

    public record QuoteView(
            @JsonPropertyDescription("the model") String model,
            @JsonPropertyDescription("its tier") String tier,
            @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("price per 1,000 tokens now") Amount pricePerKiloTokenCu,
            @JsonPropertyDescription("tokens in the prompt") int promptTokens,
            @JsonPropertyDescription("the most tokens written") int maxTokens,
            @JsonPropertyDescription("the most the request costs") Amount maxCostCu) {
    }

    public record Pricing(
            @JsonPropertyDescription("each tier's price") List<TierPriceView> tiers,
            @Nullable @JsonPropertyDescription("the most the request costs, when a model was given") QuoteView quote) {
    }

    public Pricing pricing(PricingRequest request) {
        List<TierPriceView> tiers = new ArrayList<>();
        for (TierPrice p : market.pricing()) {
            tiers.add(new TierPriceView(name(p.tier()), Amount.of(p.pricePerKiloToken()), Amount.of(p.basePerKiloToken()),
                    p.factorPpm() / 1e6, p.utilizationPpm() / 1e6, p.capacityTokensPerMinute()));
        }
        if (request.model() == null) return new Pricing(tiers, null);
        Quote q = market.quote(request.model(), or(request.promptTokens(), 0), or(request.maxTokens(), DEFAULT_MAX_TOKENS));
        return new Pricing(tiers, new QuoteView(q.model(), name(q.tier()), Amount.of(q.pricePerKiloToken()), q.promptTokens(),
                q.maxTokens(), Amount.of(q.maxCost())));
    }

    // ---- providers and routes ----

    public record ProvidersRequest(
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("only offers of this model") String model,
            @Nullable @Size(min = 1, max = 8) @JsonPropertyDescription(MIN_RATE) String minVerificationRate,
            @Nullable @Min(0) @Max(BuyerFilters.MAX_COMPLETED) @JsonPropertyDescription(MIN_COMPLETED) Long minCompleted) {
    }

    // The buyer's filters of docs/verification.md: the rate as a decimal string, like amounts in CU, so no float is compared.
    private static final String MIN_RATE = "only providers whose verification rate (the prior of 50% included for new ones) "
            + "is at least this: a decimal string \"0\" to \"1\", e.g. \"0.9\" for 90%";
    private static final String MIN_COMPLETED = "only providers with at least this many orders delivered and paid";

    private static ProviderFilter filter(String minVerificationRate, Long minCompleted) {
        return BuyerFilters.of(minVerificationRate, minCompleted == null ? 0 : minCompleted);
    }

    public record ProviderOffer(
            @JsonPropertyDescription("the provider's account") String provider,
            @JsonPropertyDescription("the model") String model,
            @JsonPropertyDescription("its tier") String tier,
            @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("price per 1,000 tokens now") Amount pricePerKiloTokenCu,
            @JsonPropertyDescription("0 to 1000, from verified trades") long reputation,
            @JsonPropertyDescription("0 to 1") double load,
            @JsonPropertyDescription("capacity offered") long capacityTokensPerMinute,
            @Nullable @JsonPropertyDescription("an agent's offer: the model folder's RFC 6962 root, hex") String modelDigest,
            @Nullable @JsonPropertyDescription("an agent's offer: the work kinds it takes") List<String> kinds) {
        /** This offer with the work an agent sells under it. */
        public ProviderOffer withWork(String digest, List<String> workKinds) {
            return new ProviderOffer(provider, model, tier, pricePerKiloTokenCu, reputation, load, capacityTokensPerMinute, digest,
                    workKinds);
        }
    }

    public record Providers(@JsonPropertyDescription("offers, cheapest first") List<ProviderOffer> providers,
                            @JsonPropertyDescription(REMOTE) List<GridViews.RemoteOffer> remote) {
    }

    private static final String REMOTE = "live offers of other nodes of the grid, by node (empty when this node is on no grid); "
            + "they pass the same filters, with the rate this node measured";

    public Providers providers(ProvidersRequest request) {
        ProviderFilter filter = filter(request.minVerificationRate(), request.minCompleted());
        return new Providers(market.providers(request.model(), filter).stream().map(MarketService::offer).toList(),
                grid.offers(request.model(), filter));
    }

    public enum Mode {
        COST, QUALITY, BALANCED;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record RouteCall(
            @Size(min = 1, max = 64) @JsonPropertyDescription("the model") String model,
            @Nullable @Min(0) @Max(MAX_QUOTE_TOKENS) @JsonPropertyDescription("tokens in your prompt") Integer promptTokens,
            @Nullable @Min(1) @Max(MAX_QUOTE_TOKENS) @JsonPropertyDescription("the most tokens to generate") Integer maxTokens,
            @Nullable @JsonPropertyDescription("how to choose (default balanced)") Mode mode,
            @Nullable @JsonPropertyDescription("the most you pay per 1,000 tokens") Amount maxPriceCu,
            @Nullable @Size(min = 1, max = 8) @JsonPropertyDescription(MIN_RATE) String minVerificationRate,
            @Nullable @Min(0) @Max(BuyerFilters.MAX_COMPLETED) @JsonPropertyDescription(MIN_COMPLETED) Long minCompleted) {
    }

    public record Candidate(
            @JsonPropertyDescription("the provider") String provider,
            @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("its price per 1,000 tokens") Amount pricePerKiloTokenCu,
            @JsonPropertyDescription("the most this request costs there") Amount maxCostCu,
            @JsonPropertyDescription("0 to 1000") long reputation,
            @JsonPropertyDescription("0 to 1") double load,
            @JsonPropertyDescription("higher is better") double score,
            @Nullable @JsonPropertyDescription("why it was left out, if it was") String excluded) {
    }

    public record Routed(
            @JsonPropertyDescription("the chosen provider") String provider,
            @JsonPropertyDescription("how it was chosen") Mode mode,
            @JsonPropertyDescription("why") String reason,
            @JsonPropertyDescription("every candidate, best first") List<Candidate> candidates,
            @JsonPropertyDescription(REMOTE_ROUTE) List<GridViews.RemoteOffer> remote) {
    }

    private static final String REMOTE_ROUTE = "live grid offers of this model on other nodes within max_price_cu and the "
            + "filters; listed, not chosen here: a chat of a model this node lacks buys the cheapest (see chat)";

    public Routed route(RouteCall request) {
        Mode mode = request.mode() == null ? Mode.BALANCED : request.mode();
        long maxPrice = Amount.orZero(request.maxPriceCu(), "max_price_cu");
        ProviderFilter filter = filter(request.minVerificationRate(), request.minCompleted());
        Route r = market.route(new RouteRequest(request.model(), or(request.promptTokens(), 0),
                or(request.maxTokens(), DEFAULT_MAX_TOKENS), RouteMode.valueOf(mode.name()), maxPrice, filter));
        List<Candidate> candidates = r.candidates().stream().map(c -> new Candidate(c.provider(), Amount.of(c.pricePerKiloToken()),
                Amount.of(c.maxCost()), c.reputation(), c.loadPpm() / 1e6, c.scorePpm() / 1e6, c.excluded())).toList();
        List<GridViews.RemoteOffer> remote = grid.offers(request.model(), filter).stream()
                .filter(o -> maxPrice == 0 || o.pricePerKiloTokenCu().micro() <= maxPrice).toList();
        return new Routed(r.chosen().provider(), mode, r.reason(), candidates, remote);
    }

    // ---- trades and the Merkle log ----

    public record TradesRequest(@Nullable @Min(1) @Max(500) @JsonPropertyDescription("how many, newest first (default 20)")
                                Integer limit) {
    }

    public record TradeView(
            @JsonPropertyDescription("its id in the Merkle log") long tradeId,
            @JsonPropertyDescription("who paid") String consumer,
            @JsonPropertyDescription("who served") String provider,
            @JsonPropertyDescription("the model") String model,
            @JsonPropertyDescription("tokens read") int promptTokens,
            @JsonPropertyDescription("tokens written") int completionTokens,
            @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("price applied") Amount pricePerKiloTokenCu,
            @JsonPropertyDescription("what was paid") Amount costCu,
            @JsonPropertyDescription("when it settled, ms since the epoch") long settledAt) {
    }

    public record Trades(@JsonPropertyDescription("trades, newest first") List<TradeView> trades,
                         @JsonPropertyDescription("trades shown") int count) {
    }

    /**
     * The caller's trades, newest first: every entry of the Merkle log it paid or was paid in,
     * chats (settled work orders the node fulfilled, or trades on a ledger older than that) and
     * other providers' settled work alike.
     */
    public Trades trades(Actor actor, TradesRequest request) {
        int limit = or(request.limit(), 20);
        List<TradeView> list = new ArrayList<>();
        for (long id = ledger.logSize(); id >= 1 && list.size() < limit; id--) {
            long entry = id;
            TradeView view = ledger.trade(entry).map(MarketService::trade)
                    .orElseGet(() -> work(ledger.settledWork(entry).orElseThrow()));
            if (actor.isOperator() || view.consumer().equals(actor.id()) || view.provider().equals(actor.id())) list.add(view);
        }
        return new Trades(list, list.size());
    }

    private static TradeView work(SettledWork work) {
        var a = work.attestation().attestation();
        return new TradeView(work.id(), work.order().order().buyer(), work.provider(), work.order().order().model(),
                a.promptTokens(), a.completionTokens(), Amount.of(a.pricePerKiloToken()), Amount.of(work.paid()),
                work.settledAt());
    }

    public record NetworkRequest(@Nullable @Min(1) @Max(Long.MAX_VALUE) @JsonPropertyDescription("an entry to prove") Long tradeId) {
    }

    public record Proof(
            @JsonPropertyDescription("the entry proved") long tradeId,
            @JsonPropertyDescription("hex SHA-256 of its leaf") String leafHash,
            @JsonPropertyDescription("its index in the tree, from 0") long leafIndex,
            @JsonPropertyDescription("entries in the tree the proof is for") long treeSize,
            @JsonPropertyDescription("hex sibling hashes, leaf to root (RFC 6962)") List<String> path) {
    }

    public record Network(
            @JsonPropertyDescription("hex SHA-256 root") String merkleRoot,
            @JsonPropertyDescription("entries in the tree: trades and settled work") long tradeCount,
            @Nullable @JsonPropertyDescription("inclusion proof, when a trade_id was given") Proof proof,
            @Nullable @JsonPropertyDescription("the grid this node joined (forge node --grid): its root, peers and counts")
            GridViews.GridStatus grid) {
    }

    public Network network(NetworkRequest request) {
        long size = ledger.logSize();
        String root = HexFormat.of().formatHex(ledger.merkleRoot(size));
        GridViews.GridStatus status = grid.status().orElse(null);
        if (request.tradeId() == null) return new Network(root, size, null, status);
        long id = request.tradeId();
        if (id > size) throw CallRefused.invalid("no trade " + id + "; there are " + size);
        var proof = ledger.proof(id, size);
        byte[] leaf = ledger.trade(id).map(Trade::leafHash)
                .orElseGet(() -> ledger.settledWork(id).orElseThrow().leafHash());
        return new Network(root, size, new Proof(id, HexFormat.of().formatHex(leaf), proof.leafIndex(), proof.treeSize(),
                proof.pathHex()), status);
    }

    // ---- the node's own offer ----

    public record OfferRequest(
            @Size(min = 1, max = 64) @JsonPropertyDescription("a model this node serves, or (an agent) one you run") String model,
            @Nullable @JsonPropertyDescription("the operator: the least per 1,000 tokens") Amount priceFloorCu,
            @Nullable @Min(1) @Max(1_000_000_000) @JsonPropertyDescription("capacity offered (default 6000)") Long tokensPerMinute,
            @Nullable @Pattern(regexp = "[0-9a-f]{64}")
            @JsonPropertyDescription("an agent's offer: the model folder's RFC 6962 root, hex") String modelDigest,
            @Nullable @Pattern(regexp = "tiny|small|medium|large") @JsonPropertyDescription("an agent's offer: the model's tier")
            String tier,
            @Nullable @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("an agent's offer: its price per 1,000 tokens")
            Amount pricePerKiloTokenCu,
            @Nullable @Size(min = 1, max = 2) @JsonPropertyDescription("an agent's offer: work kinds (default inference.chat.v1)")
            List<@Size(min = 1, max = 32) String> kinds) {
    }

    public ProviderOffer offer(Actor actor, OfferRequest request) {
        if (!actor.isOperator()) {
            throw new CallRefused("unauthorized", "only the operator sets this node's offers; an agent sells "
                    + "through a node of its own");
        }
        if (request.modelDigest() != null || request.tier() != null || request.pricePerKiloTokenCu() != null || request.kinds() != null) {
            throw CallRefused.invalid("model_digest, tier, price_per_1k_cu and kinds are for an agent's own offer");
        }
        var loaded = engine.slot(request.model()).model();
        long floor = Amount.orZero(request.priceFloorCu(), "price_floor_cu");
        long capacity = request.tokensPerMinute() == null ? 6_000 : request.tokensPerMinute();
        market.offer(new Offer(ForgeNode.PROVIDER, request.model(), ModelTier.valueOf(loaded.tier().name()), floor, capacity));
        return providerOffer(ForgeNode.PROVIDER, request.model());
    }

    /** One provider's offer of a model as the market shows it now. */
    public ProviderOffer providerOffer(String provider, String model) {
        return market.providers(model).stream().filter(v -> v.offer().provider().equals(provider))
                .findFirst().map(MarketService::offer).orElseThrow();
    }

    static ProviderOffer offer(ProviderView v) {
        return new ProviderOffer(v.offer().provider(), v.offer().model(), name(v.offer().tier()), Amount.of(v.pricePerKiloToken()),
                v.reputation(), v.loadPpm() / 1e6, v.offer().tokensPerMinute(), null, null);
    }

    static TradeView trade(Trade t) {
        var d = t.signed().delivery();
        return new TradeView(t.id(), t.consumer(), t.provider(), t.signed().authorization().model(), d.promptTokens(),
                d.completionTokens(), Amount.of(d.pricePerKiloToken()), Amount.of(t.amount()), t.settledAt());
    }

    private static String name(Enum<?> tier) {
        return tier.name().toLowerCase(Locale.ROOT);
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
