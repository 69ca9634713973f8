package dev.forge.economy.market;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Ranks the offers for one request. The three modes score differently; then price or reputation, load and id break ties. */
final class Router {
    private Router() {
    }

    static Route route(RouteRequest request, List<ProviderView> offers) {
        MarketException.require(!offers.isEmpty(), MarketException.Code.NO_OFFER, "nobody offers " + request.model());
        long tokens = (long) request.promptTokens() + request.maxTokens();
        long max = request.maxPricePerKiloToken();
        long cheapest = offers.stream().filter(o -> max == 0 || o.pricePerKiloToken() <= max)
                .filter(o -> request.filter().refusal(o.verification()) == null)
                .mapToLong(ProviderView::pricePerKiloToken).min().orElse(0);
        List<Route.Candidate> eligible = new ArrayList<>();
        List<Route.Candidate> excluded = new ArrayList<>();
        for (ProviderView o : offers) {
            long price = o.pricePerKiloToken();
            long cost = Cu.cost(tokens, price);
            String refused = request.filter().refusal(o.verification());
            if (max > 0 && price > max) {
                excluded.add(new Route.Candidate(o.offer().provider(), price, cost, o.reputation(), o.loadPpm(), 0,
                        "price " + Cu.format(price) + " CU per 1k tokens is above your max of " + Cu.format(max)));
            } else if (refused != null) {
                excluded.add(new Route.Candidate(o.offer().provider(), price, cost, o.reputation(), o.loadPpm(), 0, refused));
            } else {
                eligible.add(new Route.Candidate(o.offer().provider(), price, cost, o.reputation(), o.loadPpm(),
                        score(request.mode(), price, cheapest, o.reputation()), null));
            }
        }
        MarketException.require(!eligible.isEmpty(), MarketException.Code.NO_ROUTE, "no offer for " + request.model()
                + " meets your limits: " + excluded.stream().map(c -> c.provider() + ": " + c.excluded()).toList());
        eligible.sort(Comparator.comparingLong(Route.Candidate::scorePpm).reversed()
                .thenComparing(tieBreak(request.mode()))
                .thenComparingLong(Route.Candidate::loadPpm).thenComparing(Route.Candidate::provider));
        Route.Candidate chosen = eligible.getFirst();
        List<Route.Candidate> all = new ArrayList<>(eligible);
        all.addAll(excluded);
        return new Route(request.model(), request.mode(), chosen, List.copyOf(all), reason(request.mode(), chosen, eligible.size()));
    }

    /** Price score: the cheapest eligible price ÷ this price. Quality score: reputation ÷ 1,000. Both in ppm. */
    static long score(RouteMode mode, long price, long cheapest, int reputation) {
        long cost = cheapest * MarketConfig.PPM / price;
        long quality = reputation * 1_000L;
        return switch (mode) {
            case COST -> cost;
            case QUALITY -> quality;
            case BALANCED -> (cost + quality) / 2;
        };
    }

    /** Equal scores: the cheapest offer breaks a tie on reputation, the better reputation one on price. */
    private static Comparator<Route.Candidate> tieBreak(RouteMode mode) {
        return switch (mode) {
            case COST -> Comparator.comparingInt(Route.Candidate::reputation).reversed();
            case QUALITY, BALANCED -> Comparator.comparingLong(Route.Candidate::pricePerKiloToken);
        };
    }

    private static String reason(RouteMode mode, Route.Candidate c, int eligible) {
        String among = " among " + eligible + " eligible offer" + (eligible == 1 ? "" : "s");
        return switch (mode) {
            case COST -> c.provider() + " is the cheapest" + among + ", at " + Cu.format(c.pricePerKiloToken())
                    + " CU per 1k tokens (at most " + Cu.format(c.maxCost()) + " CU for this request)";
            case QUALITY -> c.provider() + " has the best reputation" + among + ", " + c.reputation() + " of 1000";
            case BALANCED -> c.provider() + " has the best mix of price and reputation" + among + ": "
                    + Cu.format(c.pricePerKiloToken()) + " CU per 1k tokens, reputation " + c.reputation()
                    + ", score " + c.scorePpm() / 10_000 + "%";
        };
    }
}
