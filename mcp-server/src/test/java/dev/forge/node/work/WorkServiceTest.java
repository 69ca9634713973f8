package dev.forge.node.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.AcceptedOrder;
import dev.forge.economy.ledger.HoldStatus;
import dev.forge.economy.ledger.LedgerError;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.ledger.Transfer;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerConfig;
import dev.forge.economy.market.Market;
import dev.forge.economy.market.MarketConfig;
import dev.forge.economy.work.ModelDigest;
import dev.forge.node.TestModel;
import dev.forge.node.app.CallRefused;
import dev.forge.policies.Actor;
import dev.forge.policies.PipelineConfig;
import dev.forge.policies.SpendPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * WorkService on real stores in a data folder, without Quarkus: what it keeps survives a
 * restart (registered keys, agents' offers, orders and who took them), and the expiry sweep
 * releases an order whose time ran out, on a clock the test moves.
 */
class WorkServiceTest {
    static final String MODEL = "stories260K";
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    final InstantSource clock = new InstantSource() {
        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    final Ed25519.KeyPair nodeKey = Ed25519.generate();
    final Map<String, Ed25519.KeyPair> custody = new java.util.concurrent.ConcurrentHashMap<>();

    /** One node's stores, opened on a folder, closed in the order the node closes them. */
    final class Stores implements AutoCloseable {
        final Ledger ledger;
        final SpendPipeline pipeline;
        final Market market;
        final WorkService work;

        Stores(Path data) throws Exception {
            Files.createDirectories(data.resolve("ledger"));
            Files.createDirectories(data.resolve("safety"));
            Files.createDirectories(data.resolve("orders"));
            ledger = Ledger.open(data.resolve("ledger"), LedgerConfig.defaults().withClock(clock));
            pipeline = SpendPipeline.open(data.resolve("safety"), ledger, PipelineConfig.defaults().withClock(clock));
            // As ForgeNode opens it: where a spend's hold waits while the pipeline decides.
            ledger.openAccount(AccountSpec.system(dev.forge.node.ForgeNode.ESCROW, dev.forge.economy.ledger.AccountKind.ESCROW));
            var chains = new dev.forge.economy.work.ChainBook();
            market = new Market(ledger, MarketConfig.DEFAULT, clock, chains::rate);
            work = WorkService.open(data.resolve("orders"), ledger, market, pipeline, new dev.forge.node.SpendGate(pipeline),
                    id -> Optional.ofNullable(custody.get(id)), nodeKey, new WorkService.Verifying(chains, null, 60_000), clock, 60_000);
        }

        Actor agent(String id) {
            custody.computeIfAbsent(id, k -> Ed25519.generate());
            ledger.openAccount(AccountSpec.agent(id, custody.get(id).publicKey()));
            return Actor.agent(id);
        }

        @Override
        public void close() {
            work.close();
            pipeline.close();
            ledger.close();
        }
    }

    static WorkCalls.SubmitCustodial chat(long expiresInSeconds) {
        return new WorkCalls.SubmitCustodial(MODEL, "", "", List.of(new WorkCalls.Message("user", "Once upon a time")), 16, 0, 0,
                List.of(), 1_000_000, 0, expiresInSeconds);
    }

    @Test
    void keysOffersAndTakenOrdersSurviveARestart() throws Exception {
        Path data = Files.createTempDirectory("forge-work-service");
        var provider = new TestProvider();
        String digest = HexFormat.of().formatHex(ModelDigest.of(TestModel.folder()));
        long orderId;
        try (var node = new Stores(data)) {
            Actor amy = node.agent("amy");
            Actor ben = node.agent("ben");
            provider.account = node.work.registerKey(ben, TestProvider.registerKey(provider.key, ben.id(), node.work.audience())).account();
            node.work.offer(ben, new WorkCalls.AgentOffer(MODEL, digest, "tiny", 2_000_000, List.of(), 6_000));
            orderId = node.work.submitCustodial(amy, chat(600), null).orderId();
            assertEquals("taken", node.work.take(ben, orderId).state());
        }
        try (var node = new Stores(data)) {
            Actor amy = Actor.agent("amy");
            Actor ben = Actor.agent("ben");
            Actor cleo = node.agent("cleo");
            var again = node.work.registerKey(ben, TestProvider.registerKey(provider.key, ben.id(), node.work.audience()));
            assertEquals(provider.account, again.account(), "the registered key is still there");
            var other = assertThrows(CallRefused.class,
                    () -> node.work.registerKey(ben, TestProvider.registerKey(Ed25519.generate(), ben.id(), node.work.audience())));
            assertEquals("key_exists", other.code());
            assertTrue(node.market.providers(MODEL).stream().anyMatch(v -> v.offer().provider().equals(provider.account)),
                    "the agent's offer is listed again");
            var status = node.work.status(amy, orderId);
            assertEquals("taken", status.state());
            assertEquals(provider.account, status.provider());
            node.work.registerKey(cleo, TestProvider.registerKey(Ed25519.generate(), cleo.id(), node.work.audience()));
            assertEquals("order_taken", assertThrows(CallRefused.class, () -> node.work.take(cleo, orderId)).code());

            byte[] order = node.ledger.order(orderId).orElseThrow().signed().encode();
            var attestation = provider.sign(provider.attest(order, "a fixed output", 5, 11, 2_000_000));
            var delivered = node.work.deliver(ben, new WorkCalls.Deliver(orderId, attestation.encode(),
                    "a fixed output".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(32_000, delivered.paid());
            assertEquals(32_000, node.ledger.account(provider.account).map(Account::balance).orElseThrow());
        }
    }

    @Test
    void theSweepVoidsAnOrderWhoseTimeRanOut() throws Exception {
        try (var node = new Stores(Files.createTempDirectory("forge-work-expiry"))) {
            Actor dora = node.agent("dora");
            Actor eli = node.agent("eli");
            node.work.registerKey(eli, TestProvider.registerKey(Ed25519.generate(), eli.id(), node.work.audience()));
            node.work.offer(eli, new WorkCalls.AgentOffer(MODEL, HexFormat.of().formatHex(new byte[32]).replace('0', 'a'), "tiny",
                    1_000_000, List.of(), 6_000));
            long before = node.ledger.account("dora").orElseThrow().available();
            long id = node.work.submitCustodial(dora, chat(30), null).orderId();
            assertEquals(before - 1_000_000, node.ledger.account("dora").orElseThrow().available());
            assertEquals(1, node.work.openOrders(eli, new WorkCalls.OpenOrdersQuery(null, 10)).size());
            now.addAndGet(30_001);
            node.work.sweep();
            assertEquals("void", node.work.status(dora, id).state());
            assertEquals(before, node.ledger.account("dora").orElseThrow().available(), "the whole hold returned");
            assertEquals(0, node.work.openOrders(eli, new WorkCalls.OpenOrdersQuery(null, 10)).size());
            assertEquals("work_order_closed", assertThrows(CallRefused.class, () -> node.work.take(eli, id)).code());
        }
    }

    @Test
    void aCustodialOrderTakesItsSpendsHoldInOneCommitAndARefusedOneChangesNoBalance() throws Exception {
        try (var node = new Stores(Files.createTempDirectory("forge-work-on-hold"))) {
            Actor fay = node.agent("fay");
            Actor gus = node.agent("gus");
            String gusAccount = node.work.registerKey(gus, TestProvider.registerKey(Ed25519.generate(), gus.id(),
                    node.work.audience())).account();
            node.work.offer(gus, new WorkCalls.AgentOffer(MODEL, DIGEST, "tiny", 1_000_000, List.of(), 6_000));
            long before = available(node, "fay");
            long id = node.work.submitCustodial(fay, chat(60), null).orderId();
            assertEquals(before - 1_000_000, available(node, "fay"));
            Transfer moved = node.ledger.findTransfer(id - 1).orElseThrow();
            assertTrue(AcceptedOrder.movedHold(moved), "the spend's hold was voided by the order's own commit: " + moved);
            assertEquals(HoldStatus.VOIDED, node.ledger.holdStatus(moved.pendingId()).orElseThrow());

            // The node's copy of fay's key no longer matches her account: the ledger refuses the order after the pipeline let it pass.
            custody.put("fay", Ed25519.generate());
            Map<String, Long> balances = balances(node, "fay", gusAccount, dev.forge.node.ForgeNode.ESCROW);
            Map<String, Long> availables = availables(node, "fay", gusAccount, dev.forge.node.ForgeNode.ESCROW);
            var refused = assertThrows(LedgerException.class, () -> node.work.submitCustodial(fay, chat(60), null));
            assertEquals(LedgerError.INVALID_SIGNATURE, refused.error());
            assertEquals(balances, balances(node, "fay", gusAccount, dev.forge.node.ForgeNode.ESCROW));
            assertEquals(availables, availables(node, "fay", gusAccount, dev.forge.node.ForgeNode.ESCROW), "nothing stays held");
            assertEquals(1, node.work.openOrders(gus, new WorkCalls.OpenOrdersQuery(null, 10)).size(), "only the first order");
            node.ledger.invariants().check();
        }
    }

    @Test
    void aCustodialEvalForAProviderThatOffersNoEvalsIsRefusedAtSubmit() throws Exception {
        try (var node = new Stores(Files.createTempDirectory("forge-work-eval-kind"))) {
            Actor hal = node.agent("hal");
            Actor ivy = node.agent("ivy");
            Actor jon = node.agent("jon");
            String chats = node.work.registerKey(ivy, TestProvider.registerKey(Ed25519.generate(), ivy.id(), node.work.audience())).account();
            String evals = node.work.registerKey(jon, TestProvider.registerKey(Ed25519.generate(), jon.id(), node.work.audience())).account();
            node.work.offer(ivy, new WorkCalls.AgentOffer(MODEL, DIGEST, "tiny", 1_000_000, List.of(), 6_000));
            long before = available(node, "hal");

            var refused = assertThrows(CallRefused.class, () -> node.work.submitEval(hal, eval(chats), null));
            assertEquals("kind_not_offered", refused.code(), refused.getMessage());
            assertEquals("kind_not_offered", assertThrows(CallRefused.class, () -> node.work.submitEval(hal, eval(""), null)).code(),
                    "nobody offers evals on the model: an open eval would expire too");
            assertEquals(before, available(node, "hal"), "nothing held");
            assertEquals(0, node.work.openOrders(ivy, new WorkCalls.OpenOrdersQuery(null, 10)).size());

            node.work.offer(jon, new WorkCalls.AgentOffer(MODEL, DIGEST, "tiny", 1_000_000, List.of("inference.chat.v1", "eval.v1"),
                    6_000));
            assertEquals("kind_not_offered", assertThrows(CallRefused.class, () -> node.work.submitEval(hal, eval(chats), null)).code(),
                    "still: the named provider offers chats only");
            assertEquals("open", node.work.submitEval(hal, eval(evals), null).state(), "the provider that offers evals gets it");
            assertEquals("open", node.work.submitCustodial(hal, chat(60), null).state(), "chats need no eval offer");
        }
    }

    static final String DIGEST = HexFormat.of().formatHex(new byte[32]).replace('0', 'b');

    static WorkCalls.SubmitEval eval(String provider) {
        return new WorkCalls.SubmitEval(MODEL, "", provider, "contains", 8, List.of(new WorkCalls.EvalCase("Once upon a time", " ")),
                0, 0, List.of(), 1_000_000, 0, 60);
    }

    static long available(Stores node, String account) {
        return node.ledger.account(account).orElseThrow().available();
    }

    static Map<String, Long> balances(Stores node, String... accounts) {
        Map<String, Long> found = new java.util.TreeMap<>();
        for (String account : accounts) found.put(account, node.ledger.account(account).map(Account::balance).orElse(0L));
        return found;
    }

    static Map<String, Long> availables(Stores node, String... accounts) {
        Map<String, Long> found = new java.util.TreeMap<>();
        for (String account : accounts) found.put(account, node.ledger.account(account).map(Account::available).orElse(0L));
        return found;
    }

    /**
     * The kill switch stops an order's payment too: pulled, it voids every order in flight, taken
     * or not (the buyer's hold comes back whole, the provider's delivery pays nothing); an order
     * that slipped past the voiding is voided and refused at its delivery.
     */
    @Test
    void theKillSwitchVoidsOrdersInFlightAndNoDeliveryIsPaidWhileItIsPulled() throws Exception {
        try (var node = new Stores(Files.createTempDirectory("forge-work-kill"))) {
            Actor fay = node.agent("fay");
            Actor gus = node.agent("gus");
            var provider = new TestProvider();
            provider.account = node.work.registerKey(gus, TestProvider.registerKey(provider.key, gus.id(), node.work.audience())).account();
            node.work.offer(gus, new WorkCalls.AgentOffer(MODEL, HexFormat.of().formatHex(ModelDigest.of(TestModel.folder())), "tiny",
                    2_000_000, List.of(), 6_000));
            long before = node.ledger.account("fay").orElseThrow().available();
            long taken = node.work.submitCustodial(fay, chat(600), null).orderId();
            long open = node.work.submitCustodial(fay, chat(600), null).orderId();
            node.work.take(gus, taken);

            node.pipeline.kill(Actor.operator(), "drill");
            node.work.voidOpenOrders();
            assertEquals("void", node.work.status(fay, taken).state(), "the taken order is voided");
            assertEquals("void", node.work.status(fay, open).state(), "the open order is voided");
            assertEquals(before, node.ledger.account("fay").orElseThrow().available(), "both holds came back whole");
            byte[] order = node.ledger.order(taken).orElseThrow().signed().encode();
            var attestation = provider.sign(provider.attest(order, "a fixed output", 5, 11, 2_000_000));
            var refused = assertThrows(dev.forge.policies.PolicyException.class, () -> node.work.deliver(gus,
                    new WorkCalls.Deliver(taken, attestation.encode(), "a fixed output".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            assertEquals(dev.forge.policies.Refusal.KILL_SWITCH, refused.refusal());
            assertEquals(0, node.ledger.account(provider.account).map(Account::balance).orElseThrow(), "nothing paid");

            node.pipeline.release(Actor.operator(), "over");
            long late = node.work.submitCustodial(fay, chat(600), null).orderId();
            node.work.take(gus, late);
            node.pipeline.kill(Actor.operator(), "again, and this order was not voided with the others");
            byte[] lateOrder = node.ledger.order(late).orElseThrow().signed().encode();
            var lateAttestation = provider.sign(provider.attest(lateOrder, "a fixed output", 5, 11, 2_000_000));
            assertEquals(dev.forge.policies.Refusal.KILL_SWITCH, assertThrows(dev.forge.policies.PolicyException.class,
                    () -> node.work.deliver(gus, new WorkCalls.Deliver(late, lateAttestation.encode(),
                            "a fixed output".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).refusal());
            assertEquals("void", node.work.status(fay, late).state(), "voided at its delivery");
            assertEquals(before, node.ledger.account("fay").orElseThrow().available(), "its hold came back too");
            assertEquals(0, node.ledger.account(provider.account).map(Account::balance).orElseThrow(), "still nothing paid");
        }
    }
}
