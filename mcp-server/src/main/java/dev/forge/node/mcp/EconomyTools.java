package dev.forge.node.mcp;

import static dev.forge.node.mcp.Schema.cu;
import static dev.forge.node.mcp.Schema.integer;
import static dev.forge.node.mcp.Schema.object;
import static dev.forge.node.mcp.Schema.optional;
import static dev.forge.node.mcp.Schema.required;
import static dev.forge.node.mcp.Schema.string;

import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.market.ProviderView;
import dev.forge.economy.market.Quote;
import dev.forge.economy.market.Route;
import dev.forge.economy.market.RouteMode;
import dev.forge.economy.market.RouteRequest;
import dev.forge.economy.market.TierPrice;
import dev.forge.economy.market.ProviderFilter;
import dev.forge.node.ForgeNode;
import dev.forge.node.work.BuyerFilters;
import dev.forge.policies.Actor;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Read-only views of the economy: balance, pricing, providers, route, trades, network. */
final class EconomyTools {
    private final ForgeNode node;

    EconomyTools(ForgeNode node) {
        this.node = node;
    }

    List<ForgeTool> tools() {
        return List.of(balance(), pricing(), providers(), route(), trades(), network(), offer());
    }

    private ForgeTool balance() {
        return ForgeTool.named("balance").title("Balance").readOnly()
                .description("Your CU balance: what you hold, what is free to spend now, and what is held for chats "
                        + "in progress. Free to call; check it before a large spend. The operator may name any account.")
                .input(object(optional("account", string("the account to show (operator only; default: yours)", 64))))
                .output(object(required("account", string("account id")), required("balance_cu", cu("posted balance")),
                        required("available_cu", cu("free to spend now")), required("held_cu", cu("held for spends in progress"))))
                .handler(call -> {
                    String id = subject(call);
                    Account a = node.ledger().account(id).orElseThrow(() -> new ToolException("unknown_account", "no account " + id));
                    return Out.of().put("account", id).cu("balance_cu", a.balance()).cu("available_cu", a.available())
                            .cu("held_cu", a.debitsPending()).map();
                });
    }

    private ForgeTool pricing() {
        return ForgeTool.named("pricing").title("Prices").readOnly()
                .description("Prices now, per 1,000 tokens, for every model tier; they rise with demand and fall when idle. "
                        + "Give a model, prompt_tokens and max_tokens to get the most a chat can cost. Free to call.")
                .input(object(optional("model", string("a model this node serves", 64)),
                        optional("prompt_tokens", integer("tokens in your prompt", 0, 10_000_000)),
                        optional("max_tokens", integer("the most tokens you will let the model write", 1, 10_000_000))))
                .output(object(required("tiers", Schema.array("each tier's price", Schema.anyObject("tier price"))),
                        optional("quote", Schema.anyObject("the most the request costs"))))
                .handler(call -> {
                    List<Map<String, Object>> tiers = new ArrayList<>();
                    for (TierPrice p : node.market().pricing()) {
                        tiers.add(Out.of().put("tier", p.tier().name().toLowerCase(Locale.ROOT))
                                .cu("price_per_1k_cu", p.pricePerKiloToken()).cu("base_per_1k_cu", p.basePerKiloToken())
                                .put("factor", p.factorPpm() / 1e6).put("utilization", p.utilizationPpm() / 1e6)
                                .put("capacity_tokens_per_minute", p.capacityTokensPerMinute()).map());
                    }
                    Out out = Out.of().put("tiers", tiers);
                    if (call.args().has("model")) {
                        Quote q = node.market().quote(call.args().string("model", 64),
                                (int) call.args().integer("prompt_tokens", 0, 10_000_000, 0),
                                (int) call.args().integer("max_tokens", 1, 10_000_000, 256));
                        out.put("quote", Out.of().put("model", q.model()).put("tier", q.tier().name().toLowerCase(Locale.ROOT))
                                .cu("price_per_1k_cu", q.pricePerKiloToken()).put("prompt_tokens", q.promptTokens())
                                .put("max_tokens", q.maxTokens()).cu("max_cost_cu", q.maxCost()).map());
                    }
                    return out.map();
                });
    }

    private ForgeTool providers() {
        return ForgeTool.named("providers").title("Providers").readOnly()
                .description("Who sells which model: price per 1,000 tokens, reputation (0-1000, from verified trades) "
                        + "and load. Free to call; use route to have one chosen for you.")
                .input(object(optional("model", string("only offers of this model", 64)), MIN_RATE, MIN_COMPLETED))
                .output(object(required("providers", Schema.array("offers, cheapest first", Schema.anyObject("offer")))))
                .handler(call -> {
                    String model = call.args().string("model", 64, null);
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (ProviderView v : node.market().providers(model, filter(call.args()))) list.add(view(v));
                    return Out.of().put("providers", list).map();
                });
    }

    // The buyer's filters of docs/verification.md: the rate as a decimal string, like amounts in CU.
    private static final Schema.Property MIN_RATE = optional("min_verification_rate", string("only providers whose "
            + "verification rate (with the prior for new ones) is at least this, \"0\" to \"1\", e.g. \"0.9\" for 90%", 8));
    private static final Schema.Property MIN_COMPLETED = optional("min_completed",
            integer("only providers with at least this many orders delivered and paid", 0, BuyerFilters.MAX_COMPLETED));

    private static ProviderFilter filter(Args a) {
        return BuyerFilters.of(a.string("min_verification_rate", 8, null),
                a.integer("min_completed", 0, BuyerFilters.MAX_COMPLETED, 0));
    }

    private ForgeTool route() {
        return ForgeTool.named("route").title("Choose a provider").readOnly()
                .description("Picks the provider for a model request: mode 'cost' (cheapest), 'quality' (best reputation) "
                        + "or 'balanced'; offers above max_price_cu per 1,000 tokens are left out. Returns every "
                        + "candidate's score and why the first was chosen. Free to call.")
                .input(object(required("model", string("the model", 64)),
                        optional("prompt_tokens", integer("tokens in your prompt", 0, 10_000_000)),
                        optional("max_tokens", integer("the most tokens to generate", 1, 10_000_000)),
                        optional("mode", Schema.choice("how to choose", "cost", "quality", "balanced")),
                        optional("max_price_cu", cu("the most you pay per 1,000 tokens")), MIN_RATE, MIN_COMPLETED))
                .output(object(required("provider", string("the chosen provider")), required("reason", string("why")),
                        required("candidates", Schema.array("every candidate, best first", Schema.anyObject("candidate")))))
                .handler(call -> {
                    Args a = call.args();
                    RouteMode mode = RouteMode.valueOf(a.string("mode", 16, "balanced").toUpperCase(Locale.ROOT));
                    Route r = node.market().route(new RouteRequest(a.string("model", 64),
                            (int) a.integer("prompt_tokens", 0, 10_000_000, 0), (int) a.integer("max_tokens", 1, 10_000_000, 256),
                            mode, a.has("max_price_cu") ? a.cu("max_price_cu") : 0, filter(a)));
                    List<Map<String, Object>> candidates = new ArrayList<>();
                    for (Route.Candidate c : r.candidates()) {
                        candidates.add(Out.of().put("provider", c.provider()).cu("price_per_1k_cu", c.pricePerKiloToken())
                                .cu("max_cost_cu", c.maxCost()).put("reputation", c.reputation()).put("load", c.loadPpm() / 1e6)
                                .put("score", c.scorePpm() / 1e6).put("excluded", c.excluded()).map());
                    }
                    return Out.of().put("provider", r.chosen().provider()).put("mode", mode.name().toLowerCase(Locale.ROOT))
                            .put("reason", r.reason()).put("candidates", candidates).map();
                });
    }

    private ForgeTool trades() {
        return ForgeTool.named("trades").title("Your trades").readOnly()
                .description("Your recent trades (chats you paid for or served), newest first, with tokens and cost. "
                        + "Each is signed by both parties and included in the network's Merkle root. Free to call.")
                .input(object(optional("limit", integer("how many, newest first", 1, 500))))
                .output(object(required("trades", Schema.array("trades", Schema.anyObject("trade"))),
                        required("count", integer("trades shown"))))
                .handler(call -> {
                    String me = call.actor().id();
                    int limit = (int) call.args().integer("limit", 1, 500, 20);
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (long id = node.ledger().tradeCount(); id >= 1 && list.size() < limit; id--) {
                        Trade t = node.ledger().trade(id).orElseThrow();
                        if (call.actor().isOperator() || t.consumer().equals(me) || t.provider().equals(me)) list.add(trade(t));
                    }
                    return Out.of().put("trades", list).put("count", list.size()).map();
                });
    }

    private ForgeTool network() {
        return ForgeTool.named("network").title("Merkle root").readOnly()
                .description("The network's Merkle root over every trade (RFC 6962) and, given a trade_id, the proof "
                        + "that the root includes that trade, so anyone can check it. Free to call.")
                .input(object(optional("trade_id", integer("a trade to prove", 1, Long.MAX_VALUE))))
                .output(object(required("merkle_root", string("hex SHA-256 root")), required("trade_count", integer("trades in the tree")),
                        optional("proof", Schema.anyObject("inclusion proof"))))
                .handler(call -> {
                    long size = node.ledger().tradeCount();
                    Out out = Out.of().put("merkle_root", HexFormat.of().formatHex(node.ledger().merkleRoot(size)))
                            .put("trade_count", size);
                    if (call.args().has("trade_id")) {
                        long id = call.args().integer("trade_id", 1, Long.MAX_VALUE, 1);
                        if (id > size) throw ToolException.invalid("no trade " + id + "; there are " + size);
                        var proof = node.ledger().proof(id, size);
                        Trade t = node.ledger().trade(id).orElseThrow();
                        out.put("proof", Out.of().put("trade_id", id).put("leaf_hash", HexFormat.of().formatHex(t.leafHash()))
                                .put("leaf_index", proof.leafIndex()).put("tree_size", proof.treeSize())
                                .put("path", proof.pathHex()).map());
                    }
                    return out.map();
                });
    }

    private ForgeTool offer() {
        return ForgeTool.named("offer").title("Offer work for sale").idempotent()
                .description("The operator sets the terms on which this node sells a model it serves: a price floor per "
                        + "1,000 tokens (the market price applies when higher) and the capacity it offers, which feeds the "
                        + "tier's price. An agent that registered its own key (register_key) offers its own work: model, "
                        + "model_digest, tier and price_per_1k_cu; it then takes orders (open_orders, take_order, deliver).")
                .input(object(required("model", string("a model this node serves, or (an agent) one you run", 64)),
                        optional("price_floor_cu", cu("the least per 1,000 tokens")),
                        optional("tokens_per_minute", integer("capacity offered", 1, 1_000_000_000)),
                        optional("model_digest", string("an agent's offer: the model folder's RFC 6962 root, hex", 64)),
                        optional("tier", Schema.choice("an agent's offer: the model's tier", "tiny", "small", "medium", "large")),
                        optional("price_per_1k_cu", cu("an agent's offer: its price per 1,000 tokens")),
                        optional("kinds", Schema.array("an agent's offer: work kinds (default inference.chat.v1)",
                                string("a work kind", 32)))))
                .output(object(required("provider", string("the node, or your key's account")), required("model", string("the model")),
                        required("price_per_1k_cu", cu("its price now"))))
                .handler(call -> {
                    if (!call.actor().isOperator()) return new WorkTools(node).offer(call, node);
                    String model = call.args().string("model", 64);
                    var loaded = node.engine().slot(model).model();
                    long floor = call.args().has("price_floor_cu") ? call.args().cu("price_floor_cu") : 0;
                    long capacity = call.args().integer("tokens_per_minute", 1, 1_000_000_000, 6_000);
                    node.market().offer(new dev.forge.economy.market.Offer(ForgeNode.PROVIDER, model,
                            dev.forge.economy.market.ModelTier.valueOf(loaded.tier().name()), floor, capacity));
                    var view = node.market().providers(model).stream()
                            .filter(v -> v.offer().provider().equals(ForgeNode.PROVIDER)).findFirst().orElseThrow();
                    return view(view);
                });
    }

    /** Whose account a call is about: the caller's own, or any for the operator. */
    private static String subject(ToolCall call) {
        Actor actor = call.actor();
        String named = call.args().string("account", 64, null);
        if (named == null) {
            if (actor.isOperator()) throw ToolException.invalid("the operator has no balance of its own; name an account");
            return actor.id();
        }
        return dev.forge.node.Visibility.requireVisible(actor, named);
    }

    static Map<String, Object> view(ProviderView v) {
        return Out.of().put("provider", v.offer().provider()).put("model", v.offer().model())
                .put("tier", v.offer().tier().name().toLowerCase(Locale.ROOT)).cu("price_per_1k_cu", v.pricePerKiloToken())
                .put("reputation", v.reputation()).put("load", v.loadPpm() / 1e6)
                .put("capacity_tokens_per_minute", v.offer().tokensPerMinute()).map();
    }

    static Map<String, Object> trade(Trade t) {
        var d = t.signed().delivery();
        return Out.of().put("trade_id", t.id()).put("consumer", t.consumer()).put("provider", t.provider())
                .put("model", t.signed().authorization().model()).put("prompt_tokens", d.promptTokens())
                .put("completion_tokens", d.completionTokens()).cu("price_per_1k_cu", d.pricePerKiloToken())
                .cu("cost_cu", t.amount()).put("settled_at", t.settledAt()).map();
    }
}
