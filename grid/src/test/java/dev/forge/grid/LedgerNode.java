package dev.forge.grid;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AcceptedOrder;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Authorization;
import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's ledger for grid tests: a real MapDB ledger with a few agents and one provider,
 * every trade signed by both with real keys and settled by the ledger itself.
 */
final class LedgerNode implements AutoCloseable {
    final NodeIdentity identity;
    final Ledger ledger;
    final String provider;
    final List<String> agents = new ArrayList<>();
    private final Ed25519.KeyPair providerKey;
    private final List<Ed25519.KeyPair> agentKeys = new ArrayList<>();
    private final AtomicLong nonce = new AtomicLong();
    static final byte[] MODEL = Sha256.hashText("stories260K folder");
    static final Engine ENGINE = new Engine("jlama", "0.8.4", "panama", "F32", "0.1.0", "2-core x86_64");

    LedgerNode(Path directory, String name, int agentCount) {
        this(directory, name, agentCount, NodeIdentity.generate());
    }

    /** A node with a given identity: two ledgers under one identity make an equivocating node. */
    LedgerNode(Path directory, String name, int agentCount, NodeIdentity identity) {
        this.identity = identity;
        ledger = Ledger.open(directory);
        provider = "provider-" + name;
        providerKey = Ed25519.generate();
        ledger.openAccount(AccountSpec.provider(provider, providerKey.publicKey()));
        for (int i = 0; i < agentCount; i++) {
            var key = Ed25519.generate();
            String agent = "agent-" + name + "-" + i;
            ledger.openAccount(AccountSpec.agent(agent, key.publicKey()));
            agents.add(agent);
            agentKeys.add(key);
        }
    }

    /** Agent {@code agent} buys {@code amount} µCU of work from the node's provider. */
    Trade trade(int agent, long amount) {
        return ledger.settle(signedTrade(agent, amount), 0);
    }

    /**
     * Agent {@code agent} orders a chat from the node's provider, which attests it; the ledger
     * checks both and pays: a leaf of the same log as the trades.
     */
    SettledWork work(int agent, int completionTokens) {
        long n = nonce.incrementAndGet();
        long now = System.currentTimeMillis();
        var replay = new Replay(64, 0, 42, List.of());
        var order = new WorkOrder(agents.get(agent), provider, WorkKind.INFERENCE_CHAT, "stories260K", MODEL, "",
                Sha256.hashText("input " + n), replay, 50_000, 100, ByteBuffer.allocate(WorkOrder.NONCE_SIZE).putLong(8, n).array(),
                WorkOrder.GRID, now + 600_000, WorkOrder.Signer.BUYER);
        SignedWorkOrder signed = SignedWorkOrder.sign(order, agentKeys.get(agent));
        AcceptedOrder accepted = ledger.acceptOrder(signed);
        WorkVerifier.ChainTip tip = ledger.chainTip(provider);
        long price = 1_000;
        var attestation = new Attestation(signed.digest(), provider, MODEL, ENGINE, replay, order.inputDigest(),
                Sha256.hashText("output " + n), 10, completionTokens, "stop", price, Cu.cost(10L + completionTokens, price),
                now - 5, now, tip.nextIndex(), tip.lastDigest());
        return ledger.settleWork(accepted.id(), SignedAttestation.sign(attestation, providerKey), identity.id());
    }

    SignedTrade signedTrade(int agent, long amount) {
        long n = nonce.incrementAndGet();
        long now = System.currentTimeMillis();
        var authorization = new Authorization(agents.get(agent), provider, "stories260K", amount * 2,
                Sha256.hashText("prompt " + n), n, now + 600_000);
        byte[] consumerSignature = SignedTrade.authorize(authorization, agentKeys.get(agent));
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, consumerSignature), 12, 30, 1_000, amount,
                Sha256.hashText("output " + n), now);
        return SignedTrade.deliver(authorization, consumerSignature, delivery, providerKey);
    }

    /** The ledger's leaf {@code index} as a signed grid entry, chained after {@code previous}. */
    GridEntry entry(long index, byte[] previous) {
        return new GridPublisher(null, identity, ledger).entry(index, previous);
    }

    /** Every entry of the ledger, in order. */
    List<GridEntry> entries() {
        List<GridEntry> out = new ArrayList<>();
        byte[] previous = GridEntry.noPrevious();
        for (long index = 0; index < ledger.logSize(); index++) {
            GridEntry entry = entry(index, previous);
            out.add(entry);
            previous = entry.digest();
        }
        return out;
    }

    /** Adds this ledger's trades and paid work to net µCU per account: paid negative, earned positive. */
    void addFlows(java.util.Map<String, Long> flows) {
        for (long id = 1; id <= ledger.logSize(); id++) {
            var trade = ledger.trade(id);
            if (trade.isPresent()) {
                flows.merge(onGrid(trade.get().consumer()), -trade.get().amount(), Long::sum);
                flows.merge(onGrid(trade.get().provider()), trade.get().amount(), Long::sum);
            } else {
                SettledWork work = ledger.settledWork(id).orElseThrow();
                flows.merge(onGrid(work.order().order().buyer()), -work.paid(), Long::sum);
                flows.merge(onGrid(work.provider()), work.paid(), Long::sum);
            }
        }
    }

    /** The account's grid name: its node's id, a slash, its id in the ledger. */
    String onGrid(String account) {
        return identity.id() + "/" + account;
    }

    GridRoot.Head head() {
        return new GridRoot.Head(ledger.logSize(), ledger.merkleRoot());
    }

    @Override
    public void close() {
        ledger.close();
    }
}
