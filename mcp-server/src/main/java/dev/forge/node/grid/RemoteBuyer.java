package dev.forge.node.grid;

import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.work.ChatRequest;
import dev.forge.grid.NodeIdentity;
import dev.forge.grid.RemoteRefusal;
import dev.forge.grid.RemoteWorkClient;
import dev.forge.grid.RemoteWorkException;
import dev.forge.grid.Vouch;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import dev.forge.node.work.NodeFulfilment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The buyer's home node's part of remote work (docs/grid.md, "Remote work"): who sells a model
 * this node lacks, the order that takes the place of the agent's hold, and the exchange with the
 * seller's node, paid on this node's ledger only after the delivery passed the arrival checks
 * under the key of the seller's signed offer. The spend itself (the safety pipeline's hold, its
 * release on failure) stays with the caller.
 */
public final class RemoteBuyer {
    /** Tokens a chat template may add per message, beyond the message's own bytes. */
    static final int TEMPLATE_TOKENS_PER_MESSAGE = 64;
    /** Tokens a prompt may gain beyond its text: the start and end markers. */
    static final int PROMPT_TOKENS_OVERHEAD = 16;

    /**
     * A live offer of a model by another node.
     *
     * @param provider the seller's provider account, the one its orders name
     * @param key the seller's node key: it signs the offer and the attestations
     * @param pricePerKiloToken µCU per 1,000 tokens, as the signed offer says
     * @param ratePpm the seller's verification rate as this node measured it
     */
    public record Seller(String node, String provider, byte[] key, byte[] modelDigest, long pricePerKiloToken,
                         long ratePpm) {
        public Seller {
            key = key.clone();
            modelDigest = modelDigest.clone();
        }

        /** The account on this ledger that a purchase from this seller pays. */
        public String payee() {
            return AccountSpec.PEER_PREFIX + node;
        }
    }

    private final NodeIdentity home;
    private final Ledger ledger;
    private final NodeFulfilment fulfilment;
    private final Function<String, List<Seller>> sellers;
    private final Supplier<Optional<RemoteWorkClient>> client;
    private final RemoteWorkClient.Timeouts timeouts;

    RemoteBuyer(NodeIdentity home, Ledger ledger, NodeFulfilment fulfilment, Function<String, List<Seller>> sellers,
                Supplier<Optional<RemoteWorkClient>> client, RemoteWorkClient.Timeouts timeouts) {
        this.home = home;
        this.ledger = ledger;
        this.fulfilment = fulfilment;
        this.sellers = sellers;
        this.client = client;
        this.timeouts = timeouts;
    }

    /** The live offers of {@code model}, in the order to try them: the cheapest first. */
    public List<Seller> sellers(String model) {
        return sellers.apply(model);
    }

    /**
     * The most tokens {@code request} can come to on any model: a tokenizer makes at most one
     * token per byte, a chat template adds a bounded number per message. The buyer holds for
     * this bound (the seller refuses {@code price_too_high} if its own count exceeds what is held)
     * and pays what the seller's attestation counts.
     */
    public static long tokenBound(GenerationRequest request) {
        long prompt = switch (request.prompt()) {
            case Prompt.Text text -> bytes(text.text());
            case Prompt.Chat chat -> chat.messages().stream()
                    .mapToLong(m -> bytes(m.content()) + TEMPLATE_TOKENS_PER_MESSAGE).sum();
        };
        return prompt + PROMPT_TOKENS_OVERHEAD + request.maxTokens();
    }

    private static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Opens the seller's {@code peer:} account here (with the key of its offer): the payee of the agent's hold. */
    public String openPayee(Seller seller) {
        ledger.openAccount(AccountSpec.peer(seller.node(), seller.key()));
        return seller.payee();
    }

    /** The purchase's order, accepted in place of the agent's hold {@code holdId} of exactly {@code maxCost}. */
    public NodeFulfilment.Order accept(String agent, ChatRequest request, Seller seller, long maxCost, long holdId) {
        return fulfilment.acceptPurchase(agent, request, seller.node(), seller.provider(), seller.modelDigest(), maxCost,
                holdId);
    }

    /**
     * Vouches for the order to the seller and relays its pieces to {@code listener}. Nothing is
     * paid yet, and on a failure the order is left open: the caller voids it.
     *
     * @throws RemoteWorkClient.Failure when the seller refused, was absent, or failed (with whether it streamed)
     * @throws RemoteWorkException {@code no_provider} while this node is not connected to the grid
     */
    public RemoteWorkClient.Delivery request(Seller seller, NodeFulfilment.Order order, RemoteWorkClient.Listener listener,
                                             BooleanSupplier cancelled) throws InterruptedException {
        RemoteWorkClient remote = client.get().orElseThrow(() ->
                new RemoteWorkException(RemoteRefusal.NO_PROVIDER, "this node is not connected to the grid yet"));
        var signed = order.accepted().signed();
        Vouch vouch = Vouch.sign(home, seller.node(), signed.order().buyer(), signed.order().maxPayment(),
                System.currentTimeMillis(), signed.order().expiresAt(), signed, order.input());
        return remote.request(vouch, timeouts, listener, cancelled);
    }

    /**
     * Pays a delivery on this node's ledger once it passed the arrival checks under the seller's key.
     *
     * @throws RemoteWorkException {@code delivery_refused} when it failed them: nothing is paid, the order stays open
     */
    public SettledWork settle(Seller seller, NodeFulfilment.Order order, RemoteWorkClient.Delivery delivery) {
        NodeFulfilment.Settlement settlement = fulfilment.settlePurchase(order, delivery.attestation(), delivery.output(),
                seller.key(), seller.node());
        if (settlement.paid()) return settlement.settled();
        throw new RemoteWorkException(RemoteRefusal.DELIVERY_REFUSED, "the delivery of " + seller.node()
                + " failed its checks: " + settlement.verification().firstFailure().map(c -> c.name() + ": " + c.reason())
                .orElse(""));
    }

    /** Gives a purchase's hold back: it failed, or will not run. */
    public void voidOrder(NodeFulfilment.Order order) {
        fulfilment.voidPurchase(order);
    }
}
