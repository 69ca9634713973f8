package dev.forge.grid;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Authorization;
import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SignedTrade;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cross-node trades recorded as docs/grid.md's contract says, on real ledgers: when an agent on
 * home node A buys from node B, A's ledger settles it with the agent paying {@code peer:<B>} (signed
 * by the agent and by B's node key), and B's ledger settles it with {@code peer:<A>} paying B's
 * {@code node} (signed by A's node key, the key {@code peer:<A>} has, and by B's node key).
 * Each ledger gets a buyer agent of its own with its own key.
 */
final class PeerTrades {
    static final String NODE = "node";
    static final String BUYER = "buyer";
    private final Map<NodeIdentity, Ed25519.KeyPair> buyers = new HashMap<>();
    private final AtomicLong nonce = new AtomicLong();

    /** Opens {@code node}, {@code buyer} and {@code peer:<other>} for every other node on each ledger. */
    void open(LedgerNode... nodes) {
        for (LedgerNode node : nodes) {
            var buyer = Ed25519.generate();
            buyers.put(node.identity, buyer);
            node.ledger.openAccount(AccountSpec.provider(NODE, node.identity.publicKey()));
            node.ledger.openAccount(AccountSpec.agent(BUYER, buyer.publicKey()));
            for (LedgerNode other : nodes) {
                // An agent account (the ledger lets an agent both pay and be paid) with the other node's key:
                // no token authorizes it; until the ledger has a rule for peers, its free tier lets it pay.
                if (other != node) node.ledger.openAccount(AccountSpec.agent(peer(other), other.identity.publicKey()));
            }
        }
    }

    static String peer(LedgerNode node) {
        return PeerBalances.PEER_PREFIX + node.identity.id();
    }

    /** A's buyer bought {@code amount} µCU of work from B: recorded on A's ledger, and on B's unless {@code homeOnly}. */
    void buy(LedgerNode home, LedgerNode provider, long amount, boolean homeOnly) {
        settle(home.ledger, BUYER, buyers.get(home.identity), peer(provider), provider.identity.key(), amount);
        if (!homeOnly) settle(provider.ledger, peer(home), home.identity.key(), NODE, provider.identity.key(), amount);
    }

    private void settle(Ledger ledger, String consumer, Ed25519.KeyPair consumerKey, String provider,
                        Ed25519.KeyPair providerKey, long amount) {
        long n = nonce.incrementAndGet();
        long now = System.currentTimeMillis();
        var authorization = new Authorization(consumer, provider, "stories260K", amount * 2, Sha256.hashText("prompt " + n), n,
                now + 600_000);
        byte[] consumerSignature = SignedTrade.authorize(authorization, consumerKey);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, consumerSignature), 12, 30, 1_000, amount,
                Sha256.hashText("output " + n), now);
        ledger.settle(SignedTrade.deliver(authorization, consumerSignature, delivery, providerKey), 0);
    }
}
