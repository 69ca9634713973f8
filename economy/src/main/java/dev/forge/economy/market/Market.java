package dev.forge.economy.market;

import dev.forge.economy.ledger.AcceptedOrder;
import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.AccountKind;
import dev.forge.economy.ledger.HoldStatus;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.Phase;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.ledger.Transfer;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.work.VerificationRate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Offers, prices, reputation and routes over one ledger.
 *
 * <p>The market keeps no money and no file of its own: prices and reputation are a fold over
 * the ledger's trades, settled work and trade holds, in ledger order, brought up to date before every answer
 * ({@link #sync}). So a trade settled anywhere (through {@link #settle} or straight on the
 * ledger) moves prices and reputation, and the same ledger gives the same market. Offers are
 * announcements: a node offers its models when it starts. Register offers before the first
 * answer, so that history is priced against them.
 */
public final class Market {
    private final Ledger ledger;
    private final MarketConfig config;
    private final InstantSource clock;
    private final Function<String, VerificationRate> verification;
    private final Map<String, Offer> offers = new LinkedHashMap<>();
    private final Map<ModelTier, UtilizationMeter> tierMeters = new EnumMap<>(ModelTier.class);
    private final Map<String, UtilizationMeter> offerMeters = new HashMap<>();
    private final Map<String, Reputation> reputations = new HashMap<>();
    private final Map<Long, String> openTradeHolds = new HashMap<>();
    private final long origin;
    private long tradesSeen;
    private long transfersSeen;

    public Market(Ledger ledger, MarketConfig config, InstantSource clock) {
        this(ledger, config, clock, provider -> VerificationRate.none());
    }

    /**
     * @param verification each provider's verification rate now (the node's {@code ChainBook::rate});
     *     a provider it knows nothing of is {@link VerificationRate#none()}
     */
    public Market(Ledger ledger, MarketConfig config, InstantSource clock, Function<String, VerificationRate> verification) {
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
        this.verification = verification;
        this.origin = ledger.account("treasury").map(Account::createdAt).orElse(0L);
        for (ModelTier tier : ModelTier.values()) {
            tierMeters.put(tier, new UtilizationMeter(config, origin, config.startUtilizationPpm()));
        }
    }

    /** Offers (or re-offers, replacing the terms) a model; the provider must hold a signing key. */
    public synchronized void offer(Offer offer) {
        Account account = ledger.account(offer.provider()).orElseThrow(() -> new MarketException(
                MarketException.Code.UNKNOWN_ACCOUNT, "no account " + offer.provider()));
        MarketException.require((account.kind() == AccountKind.PROVIDER || account.kind() == AccountKind.AGENT)
                && account.hasPublicKey(), MarketException.Code.NOT_A_PROVIDER,
                offer.provider() + " cannot sign deliveries, so it cannot sell");
        sync();
        offers.put(key(offer.provider(), offer.model()), offer);
        // A provider's load starts idle; a tier's utilization starts where its factor is 1.0.
        offerMeters.computeIfAbsent(key(offer.provider(), offer.model()), k -> new UtilizationMeter(config, origin, 0));
    }

    public synchronized void withdraw(String provider, String model) {
        MarketException.require(offers.remove(key(provider, model)) != null, MarketException.Code.NO_OFFER,
                provider + " does not offer " + model);
    }

    /** Every offer (of {@code model}, or all when null), cheapest first. */
    public synchronized List<ProviderView> providers(String model) {
        return providers(model, ProviderFilter.NONE);
    }

    /** The offers of providers that meet the buyer's filter, cheapest first. */
    public synchronized List<ProviderView> providers(String model, ProviderFilter filter) {
        return offers(model).stream().filter(v -> filter.refusal(v.verification()) == null).toList();
    }

    private List<ProviderView> offers(String model) {
        sync();
        long now = clock.millis();
        List<ProviderView> views = new ArrayList<>();
        for (Offer o : offers.values()) {
            if (model != null && !o.model().equals(model)) continue;
            long load = offerMeters.get(key(o.provider(), o.model())).utilizationPpm(now, o.capacityPerPeriod(config.periodMillis()));
            views.add(new ProviderView(o, Math.max(o.floorPerKiloToken(), price(o.tier(), now).pricePerKiloToken()),
                    reputation(o.provider()).score(), load, rate(o.provider())));
        }
        views.sort(Comparator.comparingLong(ProviderView::pricePerKiloToken).thenComparing(v -> v.offer().provider()));
        return views;
    }

    /** The price of every tier now. */
    public synchronized List<TierPrice> pricing() {
        sync();
        long now = clock.millis();
        return java.util.Arrays.stream(ModelTier.values()).map(tier -> price(tier, now)).toList();
    }

    /** The most a request for {@code model} costs at its market price now. */
    public synchronized Quote quote(String model, int promptTokens, int maxTokens) {
        MarketException.require(promptTokens >= 0 && maxTokens >= 1, MarketException.Code.INVALID_ARGUMENT,
                "prompt tokens must be 0 or more and max tokens 1 or more");
        sync();
        Offer offer = offers.values().stream().filter(o -> o.model().equals(model)).findFirst().orElseThrow(() ->
                new MarketException(MarketException.Code.NO_OFFER, "nobody offers " + model));
        long price = price(offer.tier(), clock.millis()).pricePerKiloToken();
        return new Quote(model, offer.tier(), price, promptTokens, maxTokens, Cu.cost((long) promptTokens + maxTokens, price));
    }

    public synchronized Route route(RouteRequest request) {
        return Router.route(request, offers(request.model()));
    }

    public synchronized Reputation reputation(String provider) {
        sync();
        return reputations.getOrDefault(provider, new Reputation(provider, 0, 0, 0, 0));
    }

    /** Settles a trade on the ledger and brings prices and reputation up to date with it. */
    public Trade settle(SignedTrade trade, long holdId) {
        Trade settled = ledger.settle(trade, holdId);
        synchronized (this) {
            sync();
        }
        return settled;
    }

    /** Folds every trade and trade hold the ledger accepted since the last call. */
    public synchronized void sync() {
        for (long id = transfersSeen + 1; id <= ledger.transferCount(); id++) {
            Transfer t = ledger.findTransfer(id).orElseThrow();
            if (t.phase() == Phase.PENDING && t.code() == TransferCode.TRADE) openTradeHolds.put(t.id(), t.creditAccount());
            // A chat's hold that became its work order's is no failure: the order's settlement is its trade.
            if (AcceptedOrder.movedHold(t)) openTradeHolds.remove(t.pendingId());
            transfersSeen = id;
        }
        // Trades and settled work share one log: a chat is settled work since chats became orders.
        for (long id = tradesSeen + 1; id <= ledger.logSize(); id++) {
            ledger.trade(id).ifPresent(this::observe);
            ledger.settledWork(id).ifPresent(this::observe);
            tradesSeen = id;
        }
        for (Iterator<Map.Entry<Long, String>> holds = openTradeHolds.entrySet().iterator(); holds.hasNext(); ) {
            var hold = holds.next();
            HoldStatus status = ledger.holdStatus(hold.getKey()).orElse(HoldStatus.PENDING);
            if (status == HoldStatus.PENDING) continue;
            if (status != HoldStatus.POSTED) {
                reputations.put(hold.getValue(), reputations.getOrDefault(hold.getValue(), empty(hold.getValue())).withFailure());
            }
            holds.remove();
        }
    }

    private void observe(Trade trade) {
        String provider = trade.provider();
        boolean verified = verifies(trade);
        reputations.put(provider, reputations.getOrDefault(provider, empty(provider)).withTrade(verified, trade.amount()));
        String model = trade.signed().authorization().model();
        Offer offer = offers.get(key(provider, model));
        if (offer == null) return; // no offer, no tier: it cannot be priced
        long tokens = (long) trade.signed().delivery().promptTokens() + trade.signed().delivery().completionTokens();
        tierMeters.get(offer.tier()).record(trade.settledAt(), tokens, capacityPerPeriod(offer.tier()));
        offerMeters.get(key(provider, model)).record(trade.settledAt(), tokens, offer.capacityPerPeriod(config.periodMillis()));
    }

    private void observe(SettledWork work) {
        String provider = work.provider();
        boolean verified = verifies(work);
        reputations.put(provider, reputations.getOrDefault(provider, empty(provider)).withTrade(verified, work.paid()));
        String model = work.order().order().model();
        Offer offer = offers.get(key(provider, model));
        if (offer == null) return; // a tier's order, or no offer: it cannot be priced
        var a = work.attestation().attestation();
        long tokens = (long) a.promptTokens() + a.completionTokens();
        tierMeters.get(offer.tier()).record(work.settledAt(), tokens, capacityPerPeriod(offer.tier()));
        offerMeters.get(key(provider, model)).record(work.settledAt(), tokens, offer.capacityPerPeriod(config.periodMillis()));
    }

    /** The attestation against the provider's key, and the leaf proven under the Merkle root. */
    private boolean verifies(SettledWork work) {
        try {
            byte[] provider = ledger.account(work.provider()).orElseThrow().publicKey();
            return work.attestation().verifies(dev.forge.economy.crypto.Ed25519.PublicKey.decode(provider))
                    && ledger.proof(work.id()).verify(work.leafHash(), ledger.merkleRoot());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Both signatures against the accounts' keys, and the leaf proven under the Merkle root. */
    private boolean verifies(Trade trade) {
        try {
            byte[] consumer = ledger.account(trade.consumer()).orElseThrow().publicKey();
            byte[] provider = ledger.account(trade.provider()).orElseThrow().publicKey();
            trade.signed().verify(consumer, provider);
            return ledger.proof(trade.id()).verify(trade.leafHash(), ledger.merkleRoot());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private VerificationRate rate(String provider) {
        VerificationRate rate = verification.apply(provider);
        return rate == null ? VerificationRate.none() : rate;
    }

    private TierPrice price(ModelTier tier, long now) {
        long capacity = capacityPerPeriod(tier);
        long utilization = tierMeters.get(tier).utilizationPpm(now, capacity);
        long factor = config.factorPpm(utilization);
        long base = config.basePerKiloToken().get(tier);
        long perMinute = offers.values().stream().filter(o -> o.tier() == tier).mapToLong(Offer::tokensPerMinute).sum();
        return new TierPrice(tier, base, utilization, factor, Math.multiplyExact(base, factor) / MarketConfig.PPM, perMinute);
    }

    private long capacityPerPeriod(ModelTier tier) {
        return offers.values().stream().filter(o -> o.tier() == tier)
                .mapToLong(o -> o.capacityPerPeriod(config.periodMillis())).sum();
    }

    private static Reputation empty(String provider) {
        return new Reputation(provider, 0, 0, 0, 0);
    }

    private static String key(String provider, String model) {
        return provider + "/" + model;
    }
}
