package dev.forge.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.market.Cu;
import dev.forge.economy.market.ModelTier;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads what the agent sees before a step from the node's read-only tools and its own books. */
final class Observer {
    private final NodeTools node;
    private final String account;
    private final Map<String, String> models;
    private final InstantSource clock;
    private Map<String, String> tierPrices = Map.of();

    Observer(NodeTools node, String account, Map<String, String> models, InstantSource clock) {
        this.node = node;
        this.account = account;
        this.models = models;
        this.clock = clock;
    }

    Snapshot look(KeyWallet wallet, long lent) {
        JsonNode balance = node.call("balance", Map.of());
        tierPrices = tiers(node.call("pricing", Map.of()));
        JsonNode credit = node.call("credit", Map.of());
        JsonNode pool = node.call("pool", Map.of());
        JsonNode loans = node.call("loans", Map.of());
        JsonNode safety = node.call("safety", Map.of());
        JsonNode kill = safety.path("kill_switch");
        return new Snapshot(clock.millis(), cu(balance, "available_cu"), wallet.spendable(), wallet.earned(), lent,
                credit.path("score").asInt(), credit.path("may_borrow").asBoolean(false),
                (int) Math.round(credit.path("rate_percent").asDouble() * 100), cu(pool, "cash_cu"),
                credit.path("collateral_percent").asInt(pool.path("collateral_percent").asInt(100)), pool.path("max_term_days").asInt(1),
                loans(loans, balance.path("account").asText()), offers(),
                kill.path("active").asBoolean(false), kill.path("reason").asText(""));
    }

    /** The node's tier prices of the last look, for the journal: tier to CU per 1,000 tokens. */
    Map<String, String> tierPrices() {
        return tierPrices;
    }

    private static Map<String, String> tiers(JsonNode pricing) {
        Map<String, String> prices = new LinkedHashMap<>();
        for (JsonNode t : pricing.path("tiers")) prices.put(t.path("tier").asText(), t.path("price_per_1k_cu").asText());
        return prices;
    }

    /** The loans its agent account took ({@code borrower}); loans it funded are not its debts. */
    private static List<Loan> loans(JsonNode answer, String borrower) {
        List<Loan> loans = new ArrayList<>();
        for (JsonNode l : answer.path("loans")) {
            if (!l.path("borrower").asText().equals(borrower)) continue;
            loans.add(new Loan(l.path("loan_id").asText(), l.path("status").asText(), cu(l, "principal_cu"), cu(l, "owed_cu"),
                    cu(l, "collateral_cu"), l.path("due_at").asLong()));
        }
        return loans;
    }

    /**
     * Offers of the models the agent knows, except its own key's (a provider cannot take its own order). On a grid, another
     * node's offer of a model counts only when this node does not serve the model itself: a chat of it would run here.
     */
    private List<Offer> offers() {
        List<Offer> offers = new ArrayList<>();
        for (var model : models.entrySet()) {
            JsonNode answer = node.call("providers", Map.of("model", model.getKey()));
            boolean servedHere = false;
            for (JsonNode p : answer.path("providers")) {
                String provider = p.path("provider").asText();
                servedHere |= provider.equals("node");
                if (provider.equals(account) || provider.equals("node")) continue; // the node itself takes no orders
                offers.add(new Offer(provider, model.getKey(), model.getValue(), tier(p), cu(p, "price_per_1k_cu")));
            }
            if (servedHere) continue;
            for (JsonNode r : answer.path("remote")) {
                if (!r.path("model_digest").asText().equals(model.getValue())) continue; // not the model the agent knows
                offers.add(new Offer(r.path("node").asText(), model.getKey(), model.getValue(), tier(r), cu(r, "price_per_1k_cu"), true));
            }
        }
        return offers;
    }

    private static ModelTier tier(JsonNode offer) {
        return ModelTier.valueOf(offer.path("tier").asText().toUpperCase(Locale.ROOT));
    }

    /** A CU field, parsed strictly; a missing one is refused rather than read as zero. */
    static long cu(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new Refusal("malformed_answer", "the node's answer lacks " + field + ": " + node, "");
        }
        return Cu.parse(value.asText());
    }
}
