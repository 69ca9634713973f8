package dev.forge.node.mcp;

import dev.forge.node.app.AccountService;
import dev.forge.node.app.MarketService;
import java.util.List;

/** Views of the economy (balance, pricing, providers, route, trades, network) and offers: adapters over the services. */
final class EconomyTools {
    private final AccountService accounts;
    private final MarketService market;
    private final WorkTools agentOffers;

    EconomyTools(AccountService accounts, MarketService market, WorkTools agentOffers) {
        this.accounts = accounts;
        this.market = market;
        this.agentOffers = agentOffers;
    }

    List<ForgeTool> tools() {
        return List.of(balance(), moveFunds(), pricing(), providers(), route(), trades(), network(), offer());
    }

    private ForgeTool balance() {
        return ForgeTool.named("balance").title("Balance").readOnly()
                .description("Your CU balance: what you hold, what is free to spend now, and what is held for chats "
                        + "in progress; once you registered a key, also its account and balance (where your work is paid: "
                        + "move_funds makes it spendable), and this node's id (node_audience). Free to call; check it "
                        + "before a large spend. The operator may name any account.")
                .handles(AccountService.BalanceRequest.class, AccountService.Balance.class,
                        (call, request) -> accounts.balance(call.actor(), request));
    }

    private ForgeTool moveFunds() {
        return ForgeTool.named("move_funds").title("Move CU between your accounts")
                .description("Moves CU between your two accounts: from=key moves earnings from your registered key's "
                        + "account (where providers are paid and your self-signed orders are held) to your account (which "
                        + "pays chats, custodial orders, loans and repayments); from=account moves the other way. One "
                        + "ledger transfer; no budget applies, the kill switch freezes it. Needs a registered key.")
                .handles(AccountService.MoveFundsRequest.class, AccountService.FundsMoved.class,
                        (call, request) -> accounts.moveFunds(call.actor(), request));
    }

    private ForgeTool pricing() {
        return ForgeTool.named("pricing").title("Prices").readOnly()
                .description("Prices now, per 1,000 tokens, for every model tier; they rise with demand and fall when idle. "
                        + "Give a model, prompt_tokens and max_tokens to get the most a chat can cost. Free to call.")
                .handles(MarketService.PricingRequest.class, MarketService.Pricing.class, (call, request) -> market.pricing(request));
    }

    private ForgeTool providers() {
        return ForgeTool.named("providers").title("Providers").readOnly()
                .description("Who sells which model: price per 1,000 tokens, reputation (0-1000, from verified trades) "
                        + "and load. Free to call; use route to have one chosen for you.")
                .handles(MarketService.ProvidersRequest.class, MarketService.Providers.class,
                        (call, request) -> market.providers(request));
    }

    private ForgeTool route() {
        return ForgeTool.named("route").title("Choose a provider").readOnly()
                .description("Picks the provider for a model request: mode 'cost' (cheapest), 'quality' (best reputation) "
                        + "or 'balanced'; offers above max_price_cu per 1,000 tokens are left out. Returns every "
                        + "candidate's score and why the first was chosen. Free to call.")
                .handles(MarketService.RouteCall.class, MarketService.Routed.class, (call, request) -> market.route(request));
    }

    private ForgeTool trades() {
        return ForgeTool.named("trades").title("Your trades").readOnly()
                .description("Your recent trades (chats you paid for or served), newest first, with tokens and cost. "
                        + "Each is signed by both parties and included in the network's Merkle root. Free to call.")
                .handles(MarketService.TradesRequest.class, MarketService.Trades.class,
                        (call, request) -> market.trades(call.actor(), request));
    }

    private ForgeTool network() {
        return ForgeTool.named("network").title("Merkle root").readOnly()
                .description("The network's Merkle root over every trade (RFC 6962) and, given a trade_id, the proof "
                        + "that the root includes that trade, so anyone can check it. Free to call.")
                .handles(MarketService.NetworkRequest.class, MarketService.Network.class, (call, request) -> market.network(request));
    }

    private ForgeTool offer() {
        return ForgeTool.named("offer").title("Offer work for sale").idempotent()
                .description("The operator sets the terms on which this node sells a model it serves: a price floor per "
                        + "1,000 tokens (the market price applies when higher) and the capacity it offers, which feeds the "
                        + "tier's price. An agent that registered its own key (register_key) offers its own work: model, "
                        + "model_digest, tier and price_per_1k_cu; it then takes orders (open_orders, take_order, deliver).")
                .handles(MarketService.OfferRequest.class, MarketService.ProviderOffer.class, (call, request) ->
                        call.actor().isOperator() ? market.offer(call.actor(), request) : agentOffers.offer(call.actor(), request));
    }
}
