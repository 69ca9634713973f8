package dev.forge.node.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.AccountKind;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerConfig;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.TransferRequest;
import dev.forge.economy.ledger.WorkStatus;
import dev.forge.economy.market.Market;
import dev.forge.economy.market.MarketConfig;
import dev.forge.economy.work.ChainBook;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.grid.NodeIdentity;
import dev.forge.node.ForgeNode;
import dev.forge.node.SpendGate;
import dev.forge.node.TestModel;
import dev.forge.policies.PipelineConfig;
import dev.forge.policies.SpendPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The books of a purchase between two nodes' real stores (docs/grid.md, "The books"), without
 * NATS: the home node's order takes the agent's hold and pays the seller's {@code peer:}
 * account only for a delivery that passes the arrival checks under the seller's key; an
 * altered output or an attestation another key signed pays nothing and leaves the hold in place.
 */
class PurchaseTest {
    private static final String AGENT = "alice";
    private static final long MAX_COST = 50_000;

    private Node home;
    private Node seller;

    /** One node's ledger, pipeline and work service, on its own key. */
    private static final class Node implements AutoCloseable {
        final Ed25519.KeyPair key;
        final String id;
        final Ledger ledger;
        final SpendPipeline pipeline;
        final WorkService work;

        Node(Path data) throws Exception {
            this(data, Ed25519.generate());
        }

        /** Opens (or reopens, after a stop) the node's stores in {@code data}. */
        Node(Path data, Ed25519.KeyPair key) throws Exception {
            this.key = key;
            this.id = new NodeIdentity(key).id();
            for (String dir : List.of("ledger", "safety", "orders")) Files.createDirectories(data.resolve(dir));
            InstantSource clock = InstantSource.system();
            ledger = Ledger.open(data.resolve("ledger"), LedgerConfig.defaults().withClock(clock));
            pipeline = SpendPipeline.open(data.resolve("safety"), ledger, PipelineConfig.defaults().withClock(clock));
            ledger.openAccount(AccountSpec.system(ForgeNode.ESCROW, AccountKind.ESCROW));
            ledger.openAccount(AccountSpec.provider(ForgeNode.PROVIDER, key.publicKey())); // the same again on a reopen
            var chains = new ChainBook();
            var market = new Market(ledger, MarketConfig.DEFAULT, clock, chains::rate);
            work = WorkService.open(data.resolve("orders"), ledger, market, pipeline, new SpendGate(pipeline),
                    agent -> Optional.empty(), key, new WorkService.Verifying(chains, null, 60_000), clock, 60_000);
        }

        long balance(String account) {
            return ledger.account(account).orElseThrow().balance();
        }

        @Override
        public void close() {
            work.close();
            pipeline.close();
            ledger.close();
        }
    }

    @AfterEach
    void close() {
        if (home != null) home.close();
        if (seller != null) seller.close();
    }

    @Test
    void onlyADeliveryThatPassesTheChecksUnderTheSellersKeyIsPaid(@TempDir Path dir) throws Exception {
        home = new Node(dir.resolve("home"));
        seller = new Node(dir.resolve("seller"));
        home.ledger.openAccount(AccountSpec.agent(AGENT, Ed25519.generate().publicKey()));
        home.ledger.openAccount(AccountSpec.peer(seller.id, seller.key.publicKey()));
        seller.ledger.openAccount(AccountSpec.peer(home.id, home.key.publicKey()));
        long before = home.balance(AGENT);

        var bought = purchase(home, seller, AGENT);
        var delivered = sell(seller, home, bought);
        String output = "Once upon a time there was a fox.";
        SignedAttestation attestation = delivered.attestation();

        var altered = home.work.nodeFulfilment().settlePurchase(bought, attestation, output + "!", seller.key.publicKey(),
                seller.id);
        assertFalse(altered.paid(), "an output other than the attested one");
        assertEquals("binding.output", altered.verification().firstFailure().orElseThrow().name());

        Ed25519.KeyPair stranger = Ed25519.generate();
        var forged = home.work.nodeFulfilment().settlePurchase(bought,
                SignedAttestation.sign(attestation.attestation(), stranger), output, seller.key.publicKey(), seller.id);
        assertFalse(forged.paid(), "an attestation the seller's key did not sign");
        assertEquals(WorkStatus.OPEN, home.ledger.workStatus(bought.id()).orElseThrow(), "still held, nothing paid");
        assertEquals(0, home.balance("peer:" + seller.id));

        var settlement = home.work.nodeFulfilment().settlePurchase(bought, attestation, output, seller.key.publicKey(),
                seller.id);
        assertTrue(settlement.paid(), () -> settlement.verification().toString());
        long cost = attestation.attestation().amount();
        assertEquals(before - cost, home.balance(AGENT), "the agent paid the attested amount, the rest released");
        assertEquals(cost, home.balance("peer:" + seller.id), "what home owes the seller, on home");
        assertEquals(-cost, seller.balance("peer:" + home.id), "the same, negated, on the seller");
        assertEquals(0, home.ledger.chainTip("peer:" + seller.id).nextIndex(), "a purchase is no step of a chain here");
        home.ledger.invariants().check();
        seller.ledger.invariants().check();
    }

    @Test
    void nodesThatSoldToEachOtherStartAgain(@TempDir Path dir) throws Exception {
        home = new Node(dir.resolve("home"));
        seller = new Node(dir.resolve("seller"));
        for (Node n : List.of(home, seller)) n.ledger.openAccount(AccountSpec.agent(AGENT, Ed25519.generate().publicKey()));
        home.ledger.openAccount(AccountSpec.peer(seller.id, seller.key.publicKey()));
        seller.ledger.openAccount(AccountSpec.peer(home.id, home.key.publicKey()));
        // Each node's chain starts at index 0, under the same account name, node: each holds the other's index 0 as a purchase.
        for (Node[] pair : List.of(new Node[] {home, seller}, new Node[] {seller, home})) {
            var bought = purchase(pair[0], pair[1], AGENT);
            var delivered = sell(pair[1], pair[0], bought);
            assertTrue(pair[0].work.nodeFulfilment().settlePurchase(bought, delivered.attestation(),
                    "Once upon a time there was a fox.", pair[1].key.publicKey(), pair[1].id).paid());
        }
        Ed25519.KeyPair homeKey = home.key, sellerKey = seller.key;
        long owed = home.balance("peer:" + seller.id);
        home.close();
        seller.close();
        home = null;
        seller = null;
        home = new Node(dir.resolve("home"), homeKey);
        seller = new Node(dir.resolve("seller"), sellerKey);
        assertEquals(owed, home.balance("peer:" + seller.id), "the books as they were");
        assertEquals(1, home.ledger.chainTip(ForgeNode.PROVIDER).nextIndex(), "only its own sale is a step of its chain");
    }

    /** The agent's hold (as the pipeline would make it, paying the seller's peer account), taken by the purchase's order. */
    private static NodeFulfilment.Order purchase(Node home, Node seller, String agent) {
        long holdId = home.ledger.transfer(TransferRequest.hold("chat-1", agent, "peer:" + seller.id, MAX_COST, 60_000, 1))
                .id();
        var request = ChatRequest.text("stories260K", "Once upon a time", new Replay(16, 0, 0, List.of()));
        return home.work.nodeFulfilment().acceptPurchase(agent, request, seller.id, ForgeNode.PROVIDER,
                ModelDigest.of(TestModel.folder()), MAX_COST, holdId);
    }

    /** The seller's side: the vouched order accepted from the home node's peer account, run (as text here) and settled. */
    private static SettledWork sell(Node seller, Node home, NodeFulfilment.Order bought) {
        var fulfilment = seller.work.nodeFulfilment();
        var sold = fulfilment.acceptRemote(bought.accepted().signed(), "peer:" + home.id, bought.input());
        var engine = new Engine("jlama", "0.8.4", "panama", "F32", "test", "test");
        var run = new NodeFulfilment.Run("Once upon a time there was a fox.", 5, 9, "end", System.currentTimeMillis());
        return fulfilment.deliver(sold, ModelDigest.of(TestModel.folder()), engine, run, 1_000_000, 14_000, seller.id);
    }
}
