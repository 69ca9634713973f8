package dev.forge.node.grid;

import dev.forge.economy.market.ProviderFilter;
import dev.forge.grid.GridOffer;
import dev.forge.grid.GridOffers;
import dev.forge.node.app.Amount;
import dev.forge.node.app.GridViews;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The other nodes' live offers as the tools list them. The bucket is read at most once a
 * second however often callers ask (a caller cannot turn providers into a flood of NATS
 * requests); an offer is shown only while it verifies at the time it is shown.
 */
final class RemoteOffers {
    private static final Logger LOG = Logger.getLogger(RemoteOffers.class.getName());
    private static final long FRESH_MILLIS = 1_000;

    private final String self;
    private final GridRates rates;
    private final InstantSource clock;
    private volatile GridOffers bucket;
    private List<GridOffer> cached = List.of();
    private long readAt; // 0: never read (epoch ms are far past it)

    RemoteOffers(String self, GridRates rates, InstantSource clock) {
        this.self = self;
        this.rates = rates;
        this.clock = clock;
    }

    void use(GridOffers offers) {
        this.bucket = offers;
    }

    /** Every other node's offer that verifies now; none while the node has not joined. */
    synchronized List<GridOffer> live() {
        long now = clock.millis();
        if (bucket != null && (now - readAt >= FRESH_MILLIS || now < readAt)) {
            try {
                cached = bucket.read().live().stream().filter(o -> !o.nodeId().equals(self)).toList();
                readAt = now;
            } catch (Exception e) {
                LOG.fine(() -> "grid: reading offers failed, showing the last reading: " + e.getMessage());
            }
        }
        return cached.stream().filter(o -> o.verify(now)).toList();
    }

    List<GridViews.RemoteOffer> offers(String model, ProviderFilter filter) {
        List<GridViews.RemoteOffer> out = new ArrayList<>();
        for (GridOffer offer : live()) {
            GridRate rate = rates.of(offer.nodeId());
            if (rate.refusal(filter) != null) continue;
            String provider = offer.accounts().isEmpty() ? "" : offer.accounts().getFirst().account();
            for (GridOffer.Model m : offer.models()) {
                if (model != null && !model.equals(m.name())) continue;
                out.add(new GridViews.RemoteOffer(true, offer.nodeId(), offer.endpoint(), provider, m.name(),
                        HexFormat.of().formatHex(m.digest()), m.tier().name().toLowerCase(Locale.ROOT),
                        Amount.of(m.pricePerKiloToken()), m.tokensPerMinute(), offer.capacity(), decimal(rate.ppm()),
                        rate.describe(), offer.expiresAt()));
            }
        }
        return out;
    }

    /**
     * Who sells {@code model} now, the cheapest first and, at one price, the better verified:
     * a node caught equivocating is left out (nothing it signs can be relied on).
     */
    List<RemoteBuyer.Seller> sellers(String model) {
        List<RemoteBuyer.Seller> out = new ArrayList<>();
        for (GridOffer offer : live()) {
            GridRate rate = rates.of(offer.nodeId());
            if (rate.unverifiable() || offer.accounts().isEmpty()) continue;
            for (GridOffer.Model m : offer.models()) {
                if (!m.name().equals(model)) continue;
                out.add(new RemoteBuyer.Seller(offer.nodeId(), offer.accounts().getFirst().account(), offer.nodeKey(),
                        m.digest(), m.pricePerKiloToken(), rate.ppm()));
            }
        }
        out.sort(Comparator.comparingLong(RemoteBuyer.Seller::pricePerKiloToken)
                .thenComparing(Comparator.comparingLong(RemoteBuyer.Seller::ratePpm).reversed())
                .thenComparing(RemoteBuyer.Seller::node));
        return out;
    }

    /** ppm as an exact decimal string, "0.5" for 500,000. */
    static String decimal(long ppm) {
        return BigDecimal.valueOf(ppm, 6).stripTrailingZeros().toPlainString();
    }
}
