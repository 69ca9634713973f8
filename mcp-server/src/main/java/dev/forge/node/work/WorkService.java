package dev.forge.node.work;

import static dev.forge.node.work.WorkRefusal.require;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AcceptedOrder;
import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.WorkRefusedException;
import dev.forge.economy.ledger.WorkStatus;
import dev.forge.economy.market.Market;
import dev.forge.economy.work.AttestationExport;
import dev.forge.economy.work.ChainBook;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.Check;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.Reexecution;
import dev.forge.economy.work.Verification;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import dev.forge.node.work.WorkCalls.*;
import dev.forge.node.ForgeNode;
import dev.forge.node.SpendGate;
import dev.forge.node.app.CallRefused;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendAction;
import dev.forge.policies.SpendPipeline;
import dev.forge.policies.SpendRequest;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The work-order calls of docs/work.md, for one node: who may call what, the bounds, and the
 * checks; the ledger holds and pays, {@link ArrivalChecks} decides whether a delivery is paid.
 * Authority is the caller's {@link Actor} (from its bearer token), never an argument.
 */
public final class WorkService implements AutoCloseable {
    public static final int MAX_ORDER_BYTES = 2_048;
    public static final int MAX_INPUT_BYTES = 64 * 1024;
    public static final int MAX_ATTESTATION_BYTES = 2_048;
    public static final int MAX_OUTPUT_BYTES = 256 * 1024;
    public static final int MAX_URL_CHARS = 256;
    public static final int MAX_OPEN_ORDERS = 50;
    public static final int MAX_FAILURES_SHOWN = 20;
    private static final HexFormat HEX = HexFormat.of();

    private final Ledger ledger;
    private final SpendPipeline pipeline;
    private final SpendGate gate;
    private final WorkStore store;
    private final ProviderRegistry providers;
    private final Function<String, Optional<Ed25519.KeyPair>> custodialKeys;
    private final String audience;
    private final InstantSource clock;
    private final ScheduledExecutorService sweeper;
    private final LiveVerification live;
    private final Ed25519.KeyPair nodeKey;
    private final NodeFulfilment own;
    private final Object[] deliveryLocks = new Object[64];

    private WorkService(Ledger ledger, Market market, SpendPipeline pipeline, SpendGate gate, WorkStore store,
                        Function<String, Optional<Ed25519.KeyPair>> custodialKeys, Ed25519.KeyPair nodeKey, Verifying verifying,
                        InstantSource clock, NodeLog nodeLog) {
        this.ledger = ledger;
        this.nodeKey = nodeKey;
        this.audience = audienceOf(nodeKey);
        this.live = new LiveVerification(verifying.book(), store, nodeLog, verifying.reexecution(), verifying.periodMillis(),
                clock);
        this.own = new NodeFulfilment(ledger, store, nodeLog, live, nodeKey, audience, clock);
        this.pipeline = pipeline;
        this.gate = gate;
        this.store = store;
        this.providers = new ProviderRegistry(store, ledger, market, audience, clock);
        this.custodialKeys = custodialKeys;
        this.clock = clock;
        for (int i = 0; i < deliveryLocks.length; i++) deliveryLocks[i] = new Object();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "forge-work-expiry");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * How the node verifies work live (docs/verification.md).
     *
     * @param book the providers' chains and standings; the market reads its rates
     * @param reexecution replays on this node's engine, or null for none
     * @param periodMillis time between two live rounds, at least 1 s
     */
    public record Verifying(ChainBook book, Reexecution reexecution, long periodMillis) {
    }

    /**
     * Opens the work store in {@code folder} (which exists), re-offers the agents' offers, rebuilds the
     * chain book from the ledger's settled work and starts its live rounds, and starts the sweep that
     * voids expired orders every {@code sweepMillis}.
     *
     * @param pipeline the safety pipeline every order passes, as a chat does
     * @param gate the node's one gate into it, which asks for approval above the threshold
     * @param custodialKeys the key the node keeps for an agent, for orders it signs in custody
     */
    public static WorkService open(Path folder, Ledger ledger, Market market, SpendPipeline pipeline, SpendGate gate,
                                   Function<String, Optional<Ed25519.KeyPair>> custodialKeys, Ed25519.KeyPair nodeKey,
                                   Verifying verifying, InstantSource clock, long sweepMillis) {
        var service = new WorkService(ledger, market, pipeline, gate, WorkStore.open(folder), custodialKeys, nodeKey, verifying,
                clock, NodeLog.open(folder, ForgeNode.PROVIDER, nodeKey, clock));
        service.own.recover();
        service.providers.restoreOffers();
        service.live.start(ledger, verifying.periodMillis(), service.audience);
        service.sweeper.scheduleWithFixedDelay(service::sweepQuietly, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        return service;
    }

    /** This node's id as an order's audience: "node:" and the first 32 hex of SHA-256 of its public key. */
    public static String audienceOf(Ed25519.KeyPair nodeKey) {
        return "node:" + HEX.formatHex(Sha256.hash(nodeKey.publicKey())).substring(0, 32);
    }

    public String audience() {
        return audience;
    }

    /** The chats the node fulfils itself, as orders in its own provider log. */
    public NodeFulfilment nodeFulfilment() {
        return own;
    }

    // ---- keys and offers: the registry's ----

    public KeyRegistered registerKey(Actor actor, RegisterKey request) {
        return providers.register(agentOf(actor), request);
    }

    /** The agent's registered key, if it registered one. */
    /** The agent whose registered key has this account, if any: its self-signed orders are that agent's spending. */
    public Optional<String> ownerOf(String account) {
        return store.agentOfAccount(account);
    }

    public Optional<RegisteredKey> keyOf(String agent) {
        return store.key(agent);
    }

    /** The caller's registered key, or the refusal that says to register one. */
    public RegisteredKey requireKey(Actor actor) {
        return providers.requireKey(agentOf(actor));
    }

    /** An agent offers its own work: the market lists it under the account of its registered key. */
    public Offered offer(Actor actor, AgentOffer offer) {
        return providers.offer(requireKey(actor), offer);
    }

    // ---- orders ----

    /**
     * A buyer's own signed order: its buyer is the caller's key account, and its key signed it.
     * It passes the safety pipeline as a custodial order does, charged to the agent that owns the
     * key (its budgets, velocity, approval above its threshold: {@code approvalId} resumes an
     * approved one), with the money held on the key's account. The same order sent again answers
     * where it stands, and passes the pipeline no second time.
     */
    public Submitted submitSigned(Actor actor, SubmitSigned request, String approvalId) {
        RegisteredKey key = requireKey(actor);
        bounded(request.order(), MAX_ORDER_BYTES, "order");
        bounded(request.input(), MAX_INPUT_BYTES, "input");
        SignedWorkOrder signed = decodeOrder(request.order());
        WorkOrder order = signed.order();
        require(order.buyer().equals(key.account()), WorkRefusal.WRONG_BUYER,
                "the order's buyer must be your key's account " + key.account());
        require(order.signer() == WorkOrder.Signer.BUYER, WorkRefusal.INVALID_ARGUMENT,
                "an order you sign yourself has signer 1 (buyer); use the custodial form to have the node sign");
        require(signed.verifies(Ed25519.PublicKey.decode(key.publicKey())), WorkRefusal.INVALID_SIGNATURE,
                "the order's signature does not verify with your registered key");
        check(signed, request.input());
        Optional<Submitted> again = store.orderByDigest(signed.digest()).flatMap(ledger::order)
                .filter(accepted -> accepted.signed().equals(signed)).map(accepted -> submitted(accepted, signed));
        if (again.isPresent()) return again.get();
        var spend = new SpendRequest(agentOf(actor), ForgeNode.ESCROW, SpendAction.CHAT, order.model(), order.maxPayment(),
                // Keyed by the order, not its nonce: another order reusing a nonce is the ledger's nonce_reused.
                "work:" + HEX.formatHex(signed.digest()).substring(0, 32), HEX.formatHex(signed.digest()));
        Spend opened = gate.open(actor, spend, key.account(), approvalId, null);
        return pipeline.completeMoved(actor, opened, order.maxPayment(), () -> hold(signed, request.input(), "", opened));
    }

    /**
     * A chat order the node signs in custody for the caller, with the key it keeps for it. It
     * passes the safety pipeline as a chat does (kill switch, budgets, velocity, approval above
     * the threshold: {@code approvalId} resumes an approved one); the budget is charged the
     * most the order can cost, since what it costs is known only when it is delivered.
     */
    public Submitted submitCustodial(Actor actor, SubmitCustodial request, String approvalId) {
        String agent = agentOf(actor);
        Ed25519.KeyPair key = custodialKey(agent);
        String tier = tierOf(request.model(), request.tier());
        var withTier = new SubmitCustodial(request.model(), tier, request.provider(), request.messages(), request.maxTokens(),
                request.temperatureMilli(), request.seed(), request.stop(), request.maxCost(), request.reward(),
                request.expiresInSeconds());
        CustodialOrder.Built built = CustodialOrder.build(agent, withTier, digestOf(request.model(), request.provider(),
                WorkKind.INFERENCE_CHAT), audience,
                clock.millis(), key);
        return custody(actor, built, CustodialOrder.argumentsDigest(withTier), approvalId);
    }

    /**
     * An eval order the node signs in custody for the caller: its prompts and their expected
     * answers become the eval input; otherwise as {@link #submitCustodial} (the safety pipeline,
     * the budget charged the most it can cost).
     */
    public Submitted submitEval(Actor actor, SubmitEval request, String approvalId) {
        String agent = agentOf(actor);
        Ed25519.KeyPair key = custodialKey(agent);
        String tier = tierOf(request.model(), request.tier());
        var withTier = new SubmitEval(request.model(), tier, request.provider(), request.scoring(), request.maxTokensPerCase(),
                request.cases(), request.temperatureMilli(), request.seed(), request.stop(), request.maxCost(), request.reward(),
                request.expiresInSeconds());
        CustodialOrder.Built built = CustodialEval.build(agent, withTier, digestOf(request.model(), request.provider(), WorkKind.EVAL),
                audience,
                clock.millis(), key);
        return custody(actor, built, CustodialEval.argumentsDigest(withTier), approvalId);
    }

    private Ed25519.KeyPair custodialKey(String agent) {
        return custodialKeys.apply(agent).orElseThrow(() -> WorkRefusal.INVALID_ARGUMENT.refuse(
                agent + " has no key in the node's custody; sign the order yourself"));
    }

    /** The tier's name as orders write it, or "" for a model; exactly one is named. */
    private static String tierOf(String model, String tier) {
        WorkRefusal.require(model.isEmpty() != tier.isEmpty(), WorkRefusal.INVALID_ARGUMENT, "name a model or a tier, not both");
        return tier.isEmpty() ? "" : ProviderRegistry.tier(tier).name().toLowerCase(Locale.ROOT);
    }

    private byte[] digestOf(String model, String provider, WorkKind kind) {
        return model.isEmpty() ? new byte[Sha256.SIZE] : providers.offeredDigest(model, provider, kind);
    }

    /** A custodial order through the safety pipeline, held once it passes. */
    private Submitted custody(Actor actor, CustodialOrder.Built built, String argumentsDigest, String approvalId) {
        check(built.order(), built.input());
        WorkOrder order = built.order().order();
        var spend = new SpendRequest(order.buyer(), ForgeNode.ESCROW, SpendAction.CHAT, order.model(), order.maxPayment(),
                "work:" + HEX.formatHex(order.nonce()), argumentsDigest);
        Spend opened = gate.open(actor, spend, approvalId, null);
        return pipeline.completeMoved(actor, opened, order.maxPayment(), () -> hold(built.order(), built.input(), order.buyer(), opened));
    }

    /** The checks every order passes, however it was signed. */
    private void check(SignedWorkOrder signed, byte[] input) {
        WorkOrder order = signed.order();
        require(Arrays.equals(Sha256.hash(input), order.inputDigest()), WorkRefusal.INPUT_MISMATCH,
                "the input's SHA-256 is not the order's input digest");
        require(order.audience().equals(audience) || order.audience().equals(WorkOrder.GRID), WorkRefusal.WRONG_AUDIENCE,
                "the order is for " + order.audience() + "; this node is " + audience);
        require(order.openToAny() || store.agentOfAccount(order.provider()).isPresent(), WorkRefusal.UNKNOWN_PROVIDER,
                "the order names " + order.provider() + ", which is no registered provider here");
        if (order.kind() == WorkKind.INFERENCE_CHAT) chatRequest(order, input);
        if (order.kind() == WorkKind.EVAL) evalInput(order, input);
    }

    /** An eval order's input is a valid eval whose cases fit within the order's max tokens. */
    private static void evalInput(WorkOrder order, byte[] input) {
        EvalInput eval;
        try {
            eval = EvalInput.decode(input);
        } catch (WorkException e) {
            throw WorkRefusal.EVAL_INPUT_INVALID.refuse("the input is no forge/eval-input/v1: " + e.getMessage());
        }
        require(eval.maxTokens() <= order.replay().maxTokens(), WorkRefusal.EVAL_INPUT_INVALID, eval.cases().size() + " cases of "
                + eval.maxTokensPerCase() + " tokens exceed the order's max_tokens " + order.replay().maxTokens());
    }

    /**
     * The ledger turns the spend's hold into the order's in one commit (as a chat's), so the money
     * is never unheld between the two; refused, the spend's hold stays and the pipeline voids it.
     * The node keeps the order's input for providers.
     */
    private Submitted hold(SignedWorkOrder signed, byte[] input, String custodian, Spend spend) {
        AcceptedOrder accepted = ledger.acceptOrderOnHold(signed, custodian, spend.holdId());
        store.putOrder(accepted.id(), signed.digest(), input.clone());
        return submitted(accepted, signed);
    }

    /** The same order sent again answers where it stands now. */
    private Submitted submitted(AcceptedOrder accepted, SignedWorkOrder signed) {
        expireIfDue(accepted.id());
        return new Submitted(accepted.id(), HEX.formatHex(signed.digest()), state(accepted.id()), signed.order().maxPayment(),
                signed.order().expiresAt());
    }

    /** A chat order's input is the canonical chat request it names: digest, model and parameters. */
    private static void chatRequest(WorkOrder order, byte[] input) {
        try {
            ChatRequest.orderedBy(order, input);
        } catch (WorkException e) {
            throw new CallRefused(e.code().code(), e.getMessage());
        }
    }

    public List<OpenOrder> openOrders(Actor actor, OpenOrdersQuery query) {
        RegisteredKey key = requireKey(actor);
        require(query.limit() >= 1 && query.limit() <= MAX_OPEN_ORDERS, WorkRefusal.INVALID_ARGUMENT,
                "limit must be 1 to " + MAX_OPEN_ORDERS);
        require(query.modelDigest() == null || query.modelDigest().matches("[0-9a-f]{64}"), WorkRefusal.INVALID_ARGUMENT,
                "model_digest must be 64 lowercase hex characters");
        List<OpenOrder> found = new ArrayList<>();
        for (long id : store.openOrders()) {
            if (found.size() >= query.limit()) break;
            if (!expireIfDue(id) || store.taker(id).isPresent()) continue;
            AcceptedOrder accepted = ledger.order(id).orElseThrow();
            WorkOrder order = accepted.order();
            boolean mine = order.openToAny() || order.provider().equals(key.account());
            boolean model = query.modelDigest() == null || query.modelDigest().equals(HEX.formatHex(order.modelDigest()));
            if (mine && model && !order.buyer().equals(key.account())) {
                found.add(new OpenOrder(id, accepted.signed().encode(), store.input(id).orElseThrow(), order.expiresAt()));
            }
        }
        return found;
    }

    public Taken take(Actor actor, long orderId) {
        RegisteredKey key = requireKey(actor);
        AcceptedOrder accepted = knownOrder(orderId);
        require(expireIfDue(orderId), WorkRefusal.WORK_ORDER_CLOSED, "order " + orderId + " is " + state(orderId));
        WorkOrder order = accepted.order();
        require(order.openToAny() || order.provider().equals(key.account()), WorkRefusal.WRONG_PROVIDER,
                "order " + orderId + " is for " + order.provider());
        require(!order.buyer().equals(key.account()), WorkRefusal.ACCOUNTS_MUST_BE_DIFFERENT, "you cannot take your own order");
        require(store.take(orderId, key.account()), WorkRefusal.ORDER_TAKEN, "another provider took order " + orderId);
        return new Taken(orderId, "taken", key.account());
    }

    /**
     * Checks a delivery on arrival and, when every check passes, has the ledger pay it. Each
     * delivery's checks are recorded (they are the provider's reputation); a refused one pays
     * nothing and leaves the order taken until it is settled or expires.
     */
    public Delivered deliver(Actor actor, Deliver request) {
        RegisteredKey key = requireKey(actor);
        bounded(request.attestation(), MAX_ATTESTATION_BYTES, "attestation");
        bounded(request.output(), MAX_OUTPUT_BYTES, "output");
        // One delivery of an order at a time, so that a retry racing its original is recorded once.
        synchronized (deliveryLock(request.orderId())) {
            if (pipeline.killState().active()) {
                voidIfOpen(knownOrder(request.orderId()).id()); // accepted as the switch was pulled: voided as the others were
                throw new PolicyException(Refusal.KILL_SWITCH, "nothing is paid while the kill switch is pulled; the order is void");
            }
            return deliverOne(key, request);
        }
    }

    private Object deliveryLock(long orderId) {
        return deliveryLocks[(int) Math.floorMod(orderId, (long) deliveryLocks.length)];
    }

    /**
     * The kill switch was pulled: every open order, taken or not, is voided and its hold goes back
     * to its buyer, as a chat in flight is; a delivery under way finishes first (the same lock).
     * The node's own chats are left to their spends, which the kill cancels (ChatService voids them).
     */
    public void voidOpenOrders() {
        for (long id : store.openOrders()) {
            if (store.taker(id).filter(own.provider()::equals).isPresent()) continue;
            synchronized (deliveryLock(id)) {
                voidIfOpen(id);
            }
        }
    }

    private void voidIfOpen(long orderId) {
        if (ledger.workStatus(orderId).orElseThrow() == WorkStatus.OPEN) ledger.voidWork(orderId);
        store.close(orderId);
    }

    private Delivered deliverOne(RegisteredKey key, Deliver request) {
        AcceptedOrder accepted = knownOrder(request.orderId());
        long orderId = accepted.id();
        require(store.taker(orderId).filter(key.account()::equals).isPresent(), WorkRefusal.ORDER_NOT_TAKEN,
                "take order " + orderId + " before delivering it");
        expireIfDue(orderId);
        SignedAttestation attestation = decodeAttestation(request.attestation());
        Optional<Delivered> again = repeatedDelivery(orderId, attestation, request.output());
        if (again.isPresent()) return again.get();
        Verification verification = ArrivalChecks.run(accepted.signed(), attestation, store.input(orderId).orElseThrow(),
                request.output(), orderKey(accepted),
                Ed25519.PublicKey.decode(key.publicKey()), key.account(), context(orderId, key.account()));
        if (!verification.verified()) throw refused(orderId, key.account(), attestation, verification);
        SettledWork settled;
        try {
            settled = ledger.settleWork(orderId, attestation, audience);
        } catch (WorkRefusedException e) {
            throw refused(orderId, key.account(), attestation, e.verification());
        }
        record(orderId, key.account(), attestation, verification);
        store.putSettlement(orderId, request.attestation().clone(), request.output().clone());
        live.arrive(settled, verification);
        return delivered(accepted, settled);
    }

    /** The attestation that settled the order, sent again: the same answer, nothing paid twice. */
    private Optional<Delivered> repeatedDelivery(long orderId, SignedAttestation attestation, byte[] output) {
        Optional<byte[]> earlier = store.settlement(orderId);
        if (earlier.isEmpty() || !Arrays.equals(earlier.get(), attestation.encode())
                || !Arrays.equals(store.output(orderId).orElseThrow(), output)) {
            return Optional.empty();
        }
        SettledWork settled = ledger.settleWork(orderId, attestation, audience);
        return Optional.of(delivered(ledger.order(orderId).orElseThrow(), settled));
    }

    private static Delivered delivered(AcceptedOrder accepted, SettledWork settled) {
        long paid = settled.paid();
        return new Delivered(accepted.id(), "settled", paid, accepted.order().maxPayment() - paid,
                settled.attestation().attestation().logIndex());
    }

    private RuntimeException refused(long orderId, String provider, SignedAttestation attestation, Verification verification) {
        record(orderId, provider, attestation, verification);
        Check first = verification.firstFailure().orElseThrow();
        String reasons = String.join("; ", verification.checks().stream().filter(c -> c.verdict() == Check.Verdict.FAIL)
                .map(c -> c.name() + ": " + c.reason()).toList());
        return new CallRefused(first.code(), "the delivery was refused and nothing was paid: " + reasons);
    }

    private void record(long orderId, String provider, SignedAttestation attestation, Verification verification) {
        WorkOrder order = ledger.order(orderId).orElseThrow().order();
        long value = Math.min(attestation.attestation().amount(), order.maxCost()) + order.reward();
        store.putDelivery(new DeliveryRecord(orderId, provider, verification.verified(), value, clock.millis(),
                verification.checks(), attestation.encode()));
    }

    private WorkVerifier.Context context(long orderId, String provider) {
        // The ledger keeps one order per buyer nonce: its nonce is spent once this order settled.
        return new WorkVerifier.Context(clock.millis(), audience,
                nonce -> ledger.workStatus(orderId).orElseThrow() == WorkStatus.SETTLED, ledger.chainTip(provider));
    }

    /** The buyer's key, or for a custodial order its custodian's: the key the ledger accepted it with. */
    private Ed25519.PublicKey orderKey(AcceptedOrder accepted) {
        String signer = accepted.custodian().isEmpty() ? accepted.buyer() : accepted.custodian();
        Account account = ledger.account(signer).orElseThrow();
        return Ed25519.PublicKey.decode(account.publicKey());
    }

    // ---- status and reputation ----

    public Status status(Actor actor, long orderId) {
        Optional<AcceptedOrder> found = store.input(orderId).isPresent() ? ledger.order(orderId) : Optional.empty();
        require(found.isPresent() && party(actor, found.get()), WorkRefusal.UNAUTHORIZED,
                "only the buyer, the provider that took it and the operator see order " + orderId);
        AcceptedOrder accepted = found.get();
        expireIfDue(orderId);
        byte[] attestation = store.settlement(orderId).orElse(null);
        String state = state(orderId);
        // The ledger settles a moment before the node stores the attestation: until then it is still the taker's.
        if (state.equals("settled") && attestation == null) state = "taken";
        long paid = attestation == null ? -1 : ledger.order(orderId).map(a -> paidFor(a, attestation)).orElse(-1L);
        String taker = store.taker(orderId).orElse("");
        List<Check> checks = taker.isEmpty() ? List.of() : lastChecks(taker, orderId);
        return new Status(orderId, state, accepted.buyer(), taker, accepted.order().maxPayment(), paid, attestation,
                store.output(orderId).orElse(null), checks, accepted.expiresAt());
    }

    private static long paidFor(AcceptedOrder accepted, byte[] attestation) {
        return SignedAttestation.decode(attestation).attestation().amount() + accepted.order().reward();
    }

    private List<Check> lastChecks(String provider, long orderId) {
        List<DeliveryRecord> mine = store.deliveries(provider).stream().filter(d -> d.orderId() == orderId).toList();
        return mine.isEmpty() ? List.of() : mine.getLast().checks();
    }

    /** The buyer (its agent, or the agent whose key account bought), the taker's agent, or the operator. */
    private boolean party(Actor actor, AcceptedOrder accepted) {
        if (actor.isOperator()) return true;
        Optional<String> account = store.key(actor.id()).map(RegisteredKey::account);
        String buyer = accepted.buyer();
        boolean isBuyer = buyer.equals(actor.id()) || account.filter(buyer::equals).isPresent();
        boolean isTaker = account.isPresent() && store.taker(accepted.id()).filter(account.get()::equals).isPresent();
        return isBuyer || isTaker;
    }

    /** Anyone may ask: a provider's reputation is public. */
    public ProviderRate verify(String provider) {
        require(AccountSpec.validId(provider), WorkRefusal.INVALID_ARGUMENT, "provider must be an account id");
        return ProviderRates.of(provider, live.book(), live::orderId, store.deliveries(provider), MAX_FAILURES_SHOWN);
    }

    /**
     * A settled order's attestation for auditors: its in-toto Statement and the node's verdict now
     * (the record checks it passed on arrival and the live checks run again now), each in a DSSE
     * envelope signed by the node's key. For the buyer, the provider that delivered it, and the operator.
     */
    public Export export(Actor actor, long orderId) {
        Optional<AcceptedOrder> found = store.input(orderId).isPresent() ? ledger.order(orderId) : Optional.empty();
        require(found.isPresent() && party(actor, found.get()), WorkRefusal.UNAUTHORIZED,
                "only the buyer, the provider that delivered it and the operator export order " + orderId);
        Optional<byte[]> settlement = store.settlement(orderId);
        require(settlement.isPresent(), WorkRefusal.WORK_ORDER_NOT_SETTLED,
                "order " + orderId + " is " + state(orderId) + "; only a settled order has an attestation to export");
        SignedAttestation signed = SignedAttestation.decode(settlement.get());
        String provider = signed.attestation().provider();
        List<Check> checks = new ArrayList<>(lastChecks(provider, orderId));
        live.recheck(provider, signed.attestation().logIndex()).ifPresent(r -> checks.addAll(r.verification().checks()));
        var verification = new Verification(checks);
        byte[] statement = AttestationExport.statement(found.get().signed(), signed);
        byte[] verdict = AttestationExport.verdict(signed, verification, audience, clock.millis());
        var statementEnvelope = AttestationExport.envelope(statement, nodeKey);
        return new Export(orderId, statementEnvelope.json(), AttestationExport.envelope(verdict, nodeKey).json(),
                verification.verified() ? "PASSED" : "FAILED", statementEnvelope.keyId());
    }

    /**
     * Checks a settled order's chain again now with re-execution on this node's engine, as a live
     * round does for the share it draws (docs/verification.md); the result stands in the book.
     * Empty when the order is not a paid chain here. For this node's own tests and audits.
     */
    Optional<Verification> reexecuteNow(long orderId) {
        Optional<byte[]> settlement = store.settlement(orderId);
        if (settlement.isEmpty()) return Optional.empty();
        var a = SignedAttestation.decode(settlement.get()).attestation();
        return live.recheck(a.provider(), a.logIndex(), true).map(r -> r.verification());
    }

    // ---- expiry ----

    /** Voids (by the ledger's expiry) every open order whose time is up; the sweep calls it, so do the calls. */
    public void sweep() {
        for (long id : store.openOrders()) expireIfDue(id);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            System.err.println("forge: the work order sweep failed: " + e);
        }
    }

    /** True while the order is open; an order past its expiry is expired now, and leaves the open set. */
    private boolean expireIfDue(long orderId) {
        AcceptedOrder accepted = ledger.order(orderId).orElseThrow();
        WorkStatus status = ledger.workStatus(orderId).orElseThrow();
        if (status == WorkStatus.OPEN && clock.millis() >= accepted.expiresAt()) {
            ledger.expireDueHolds();
            status = ledger.workStatus(orderId).orElseThrow();
        }
        if (status != WorkStatus.OPEN) store.close(orderId);
        return status == WorkStatus.OPEN;
    }

    private String state(long orderId) {
        return switch (ledger.workStatus(orderId).orElseThrow()) {
            case OPEN -> store.taker(orderId).isPresent() ? "taken" : "open";
            case SETTLED -> "settled";
            case VOIDED, EXPIRED -> "void";
        };
    }

    // ---- helpers ----

    private AcceptedOrder knownOrder(long orderId) {
        Optional<AcceptedOrder> accepted = store.input(orderId).isPresent() ? ledger.order(orderId) : Optional.empty();
        return accepted.orElseThrow(() -> WorkRefusal.WORK_ORDER_NOT_FOUND.refuse("no work order " + orderId + " on this node"));
    }

    private static String agentOf(Actor actor) {
        require(!actor.isOperator(), WorkRefusal.INVALID_ARGUMENT,
                "the operator has no account of its own; an agent makes this call with its own token");
        return actor.id();
    }

    private static void bounded(byte[] bytes, int max, String name) {
        require(bytes != null && bytes.length <= max, WorkRefusal.INVALID_ARGUMENT, name + " must be at most " + max + " bytes");
    }

    private static SignedWorkOrder decodeOrder(byte[] bytes) {
        try {
            return SignedWorkOrder.decode(bytes);
        } catch (WorkException e) {
            throw WorkRefusal.MALFORMED_WORK_RECORD.refuse(e.getMessage());
        }
    }

    private static SignedAttestation decodeAttestation(byte[] bytes) {
        try {
            return SignedAttestation.decode(bytes);
        } catch (WorkException e) {
            throw WorkRefusal.MALFORMED_WORK_RECORD.refuse(e.getMessage());
        }
    }

    @Override
    public void close() {
        live.close();
        sweeper.shutdownNow();
        store.close();
    }
}
