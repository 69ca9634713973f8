package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static dev.forge.economy.ledger.WorkDeals.NODE;
import static dev.forge.economy.ledger.WorkDeals.honest;
import static dev.forge.economy.ledger.WorkDeals.order;
import static dev.forge.economy.ledger.WorkDeals.sign;
import static dev.forge.economy.ledger.WorkDeals.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Chain;
import dev.forge.economy.work.ChainBook;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.Verification;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random accepts, honest and cheating deliveries, voids, clock jumps past expiry and reopens,
 * checked after every step against a small model: the ledger's sums balance, each provider
 * holds exactly what its verified attestations state, a refusal changes nothing, and an
 * independent audit of the log re-verifies every attestation that was paid. Every delivery is
 * also judged by an independent verifier over the test's own model of the state: the ledger pays
 * exactly the deliveries that verify on a live order, and every cheat is refused with its code.
 */
class WorkPropertyTest {
    private static final int OPERATIONS = 1_000;
    private static final long FREE = LedgerConfig.DEFAULT_FREE_TIER;
    private static final List<String> BUYERS = List.of("alice", "dave");
    private static final List<String> PROVIDERS = List.of("bob", "carol");

    @TempDir Path dir;
    final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    final Map<String, Ed25519.KeyPair> keys = Map.of("alice", Fixtures.key(201), "dave", Fixtures.key(202),
            "bob", Fixtures.key(203), "carol", Fixtures.key(204));
    final Map<String, Long> paidTo = new HashMap<>();
    final Map<String, Long> paidBy = new HashMap<>();
    final Map<Long, ModelOrder> orders = new HashMap<>();
    final List<Long> orderIds = new ArrayList<>();
    final Map<String, WorkVerifier.ChainTip> tips = new HashMap<>();
    final Set<String> settledNonces = new HashSet<>();
    final ChainBook book = new ChainBook();
    Random random;
    Ledger ledger;
    long nextNonce;
    int refusals, settlements, unverifiedRefused;

    static final class ModelOrder {
        final SignedWorkOrder signed;
        WorkStatus status = WorkStatus.OPEN;
        boolean open = true;

        ModelOrder(SignedWorkOrder signed) {
            this.signed = signed;
        }

        long expiresAt() {
            return signed.order().expiresAt();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void randomWorkKeepsEveryRule(long seed) {
        random = new Random(seed);
        ledger = Fixtures.open(dir, clock);
        try {
            for (String id : BUYERS) ledger.openAccount(AccountSpec.agent(id, keys.get(id).publicKey()));
            for (String id : PROVIDERS) ledger.openAccount(AccountSpec.agent(id, keys.get(id).publicKey()));
            for (int step = 0; step < OPERATIONS; step++) {
                step();
                checkSums("step " + step);
                if (step % 100 == 99) audit();
            }
            reopen();
            checkSums("after the last reopen");
            audit();
            assertTrue(settlements > 100 && refusals > 100 && unverifiedRefused > 100,
                    settlements + " settled, " + refusals + " refused, " + unverifiedRefused + " of them unverified");
            long chains = 0;
            for (String id : PROVIDERS) {
                var rate = book.rate(id);
                assertEquals(rate.completed(), rate.verifying(), id + ": every paid chain verified: " + rate.describe());
                assertTrue(rate.describe().startsWith("100.0% of " + rate.completed() + " chains"), rate.describe());
                chains += rate.completed();
            }
            assertEquals(settlements, chains, "every settlement is one chain in the book");
        } finally {
            ledger.close();
        }
    }

    private void step() {
        int choice = random.nextInt(100);
        if (choice < 30) accept();
        else if (choice < 58) deliverHonestly();
        else if (choice < 75) deliverCheating();
        else if (choice < 82) voidOne();
        else if (choice < 88) replayNonce();
        else if (choice < 97) advanceClock();
        else reopen();
    }

    private void accept() {
        String buyer = BUYERS.get(random.nextInt(2));
        String provider = random.nextInt(3) == 0 ? "" : PROVIDERS.get(random.nextInt(2));
        long maxCost = random.nextInt(20) == 0 ? 2_000 * CU : 1 + random.nextInt((int) (3 * CU));
        long reward = random.nextBoolean() ? 0 : random.nextInt((int) CU);
        SignedWorkOrder signed = order(keys.get(buyer), buyer, provider, maxCost, reward, ++nextNonce,
                clock.millis() + 1 + random.nextInt(20_000));
        boolean affordable = available(buyer) >= signed.order().maxPayment();
        if (!affordable) {
            refused(LedgerError.INSUFFICIENT_FUNDS, () -> ledger.acceptOrder(signed));
            return;
        }
        AcceptedOrder accepted = ledger.acceptOrder(signed);
        orders.put(accepted.id(), new ModelOrder(signed));
        orderIds.add(accepted.id());
    }

    private boolean live(ModelOrder order) {
        return order.open && clock.millis() < order.expiresAt();
    }

    private void deliverHonestly() {
        Long id = pickOrder();
        if (id == null) return;
        ModelOrder order = orders.get(id);
        String provider = order.signed.order().openToAny() ? PROVIDERS.get(random.nextInt(2)) : order.signed.order().provider();
        attempt(id, sign(honestWithin(order.signed, provider), keys.get(provider)), NODE, null);
    }

    /** Tokens and a price such that the cost fits the order: 1 to 49 tokens. */
    private Attestation honestWithin(SignedWorkOrder signed, String provider) {
        int prompt = random.nextInt(30);
        int completion = 1 + random.nextInt(Math.min(19, signed.order().replay().maxTokens()));
        long price = signed.order().maxCost() * 1_000 / (prompt + completion) * random.nextInt(101) / 100;
        while (Cu.cost(prompt + completion, price) > signed.order().maxCost()) price--;
        return honest(signed, provider, ledger.chainTip(provider), prompt, completion, price, clock.millis());
    }

    private void deliverCheating() {
        Long id = pickOrder();
        if (id == null) return;
        ModelOrder order = orders.get(id);
        WorkOrder o = order.signed.order();
        String provider = o.openToAny() ? PROVIDERS.get(random.nextInt(2)) : o.provider();
        Attestation good = honestWithin(order.signed, provider);
        byte[] forged = Sha256.hashText("forged " + random.nextLong());
        Ed25519.KeyPair key = keys.get(provider);
        switch (random.nextInt(13)) {
            case 0 -> attempt(id, sign(with(good, forged, null, null, null, null, null, null), key), NODE, LedgerError.ORDER_MISMATCH);
            case 1 -> attempt(id, sign(with(good, null, null, forged, null, null, null, null), key), NODE, LedgerError.INPUT_MISMATCH);
            case 2 -> attempt(id, sign(with(good, null, null, null, o.maxCost() + 1, null, null, null), key), NODE, LedgerError.AMOUNT_EXCEEDS_ORDER);
            case 3 -> attempt(id, sign(good, keys.get(BUYERS.get(random.nextInt(2)))), NODE, LedgerError.INVALID_SIGNATURE);
            case 4 -> attempt(id, sign(with(good, null, null, null, null, null, null, forged), key), NODE, LedgerError.CHAIN_BROKEN);
            case 5 -> attempt(id, sign(with(good, null, null, null, null, null, good.logIndex() + 1 + random.nextInt(3), null), key), NODE, LedgerError.CHAIN_GAP);
            case 6 -> attempt(id, sign(with(good, null, null, null, null, order.expiresAt() + 1 + random.nextInt(1000), null, null), key), NODE, LedgerError.ORDER_EXPIRED);
            case 7 -> attempt(id, sign(with(good, null, forged, null, null, null, null, null), key), NODE, LedgerError.MODEL_MISMATCH);
            case 8 -> attempt(id, sign(withReplay(good, new Replay(o.replay().maxTokens(), o.replay().temperatureMilli(),
                    o.replay().seed() + 1, o.replay().stop())), key), NODE, LedgerError.REPLAY_MISMATCH);
            case 9 -> attempt(id, sign(honest(order.signed, provider, ledger.chainTip(provider), 1, o.replay().maxTokens() + 1, 0,
                    clock.millis()), key), NODE, LedgerError.TOKENS_EXCEED_ORDER);
            case 10 -> {
                long more = good.amount() + 1;
                attempt(id, sign(with(good, null, null, null, more, null, null, null), key), NODE,
                        more > o.maxCost() ? LedgerError.AMOUNT_EXCEEDS_ORDER : LedgerError.AMOUNT_MISMATCH);
            }
            case 11 -> attempt(id, sign(good, key), "node-b", LedgerError.WRONG_AUDIENCE);
            default -> {
                if (o.openToAny()) return;
                String other = PROVIDERS.get(1 - PROVIDERS.indexOf(provider));
                attempt(id, sign(honestWithin(order.signed, other), keys.get(other)), NODE, LedgerError.WRONG_PROVIDER);
            }
        }
    }

    /**
     * One delivery, judged twice: by an independent {@link WorkVerifier} run with this test's own
     * model of the state (its chain tips, the nonces of settled orders, the clock), and by the
     * ledger. The ledger pays exactly when the verdict verifies and the order is live; a cheat
     * never verifies; a live order refuses with the verdict's first failing code.
     */
    private void attempt(long id, SignedAttestation attestation, String audience, LedgerError cheat) {
        ModelOrder order = orders.get(id);
        String provider = attestation.attestation().provider();
        Verification verdict = verdict(order, attestation, audience);
        if (cheat != null) {
            assertFalse(verdict.verified(), "a cheat (" + cheat.code() + ") verified");
            if (live(order)) assertEquals(cheat.code(), verdict.firstFailure().orElseThrow().code());
        }
        if (!verdict.verified() || !live(order)) {
            LedgerError expected = live(order) ? LedgerError.ofCode(verdict.firstFailure().orElseThrow().code())
                    : cheat == null ? whyNot(order) : null;
            refused(expected, () -> ledger.settleWork(id, attestation, audience));
            if (!verdict.verified()) unverifiedRefused++;
            return;
        }
        SettledWork work = ledger.settleWork(id, attestation, audience);
        long paid = attestation.attestation().amount() + order.signed.order().reward();
        assertEquals(paid, work.paid());
        paidTo.merge(provider, paid, Long::sum);
        paidBy.merge(order.signed.order().buyer(), paid, Long::sum);
        tips.put(provider, tips.getOrDefault(provider, WorkVerifier.ChainTip.empty()).after(attestation));
        assertEquals(tips.get(provider).nextIndex(), ledger.chainTip(provider).nextIndex(), "the ledger's tip is the verifier's");
        settledNonces.add(WorkVerifier.nonceKey(order.signed.order()));
        Chain chain = new Chain(order.signed, attestation, paid, work.settledAt());
        book.add(chain);
        book.record(chain, verdict, clock.millis());
        close(order, WorkStatus.SETTLED);
        settlements++;
    }

    private Verification verdict(ModelOrder order, SignedAttestation attestation, String audience) {
        String provider = attestation.attestation().provider();
        var buyerKey = Ed25519.PublicKey.decode(ledger.account(order.signed.order().buyer()).orElseThrow().publicKey());
        var providerKey = Ed25519.PublicKey.decode(ledger.account(provider).orElseThrow().publicKey());
        var context = new WorkVerifier.Context(clock.millis(), audience, settledNonces::contains,
                tips.getOrDefault(provider, WorkVerifier.ChainTip.empty()));
        return WorkVerifier.verify(order.signed, attestation, buyerKey, providerKey, context);
    }

    private static Attestation withReplay(Attestation a, Replay replay) {
        return new Attestation(a.orderDigest(), a.provider(), a.modelDigest(), a.engine(), replay, a.inputDigest(),
                a.outputDigest(), a.promptTokens(), a.completionTokens(), a.finishReason(), a.pricePerKiloToken(), a.amount(),
                a.startedAt(), a.finishedAt(), a.logIndex(), a.previousDigest());
    }

    /** Why an order that is not live refuses an honest delivery, as docs/ledger.md gives the order of the checks. */
    private LedgerError whyNot(ModelOrder order) {
        return switch (order.status) {
            case VOIDED -> LedgerError.WORK_ORDER_CLOSED;
            case SETTLED -> clock.millis() <= order.expiresAt() ? LedgerError.NONCE_REUSED : LedgerError.ORDER_EXPIRED;
            case OPEN, EXPIRED -> LedgerError.ORDER_EXPIRED;
        };
    }

    private static void close(ModelOrder order, WorkStatus status) {
        order.open = false;
        order.status = status;
    }

    private void voidOne() {
        Long id = pickOrder();
        if (id == null) return;
        ModelOrder order = orders.get(id);
        if (!live(order)) {
            boolean closed = order.status == WorkStatus.SETTLED || order.status == WorkStatus.VOIDED;
            refused(closed ? LedgerError.WORK_ORDER_CLOSED : LedgerError.ORDER_EXPIRED, () -> ledger.voidWork(id));
            return;
        }
        ledger.voidWork(id);
        close(order, WorkStatus.VOIDED);
    }

    /** The buyer's nonce again, on another order: refused, whatever became of the first. */
    private void replayNonce() {
        Long id = pickOrder();
        if (id == null) return;
        var first = orders.get(id).signed.order();
        long nonce = java.nio.ByteBuffer.wrap(first.nonce()).getLong(8);
        SignedWorkOrder again = order(keys.get(first.buyer()), first.buyer(), "", 1, 0, nonce, clock.millis() + 5_000);
        refused(LedgerError.NONCE_REUSED, () -> ledger.acceptOrder(again));
    }

    private void advanceClock() {
        clock.advance(random.nextInt(random.nextBoolean() ? 500 : 15_000));
        ledger.expireDueHolds();
        for (ModelOrder order : orders.values()) {
            if (order.open && clock.millis() >= order.expiresAt()) close(order, WorkStatus.EXPIRED);
        }
    }

    private void reopen() {
        var before = snapshot();
        ledger.close();
        ledger = Fixtures.open(dir, clock);
        assertEquals(before, snapshot(), "a reopen replays to the same state");
        for (long id : orderIds) assertEquals(orders.get(id).status, ledger.workStatus(id).orElseThrow(), "order " + id);
    }

    private Long pickOrder() {
        if (orderIds.isEmpty()) return null;
        // Mostly recent orders, which are likelier to be open.
        int from = Math.max(0, orderIds.size() - 8);
        int index = random.nextInt(4) == 0 ? random.nextInt(orderIds.size()) : from + random.nextInt(orderIds.size() - from);
        return orderIds.get(index);
    }

    private long available(String id) {
        return ledger.account(id).orElseThrow().available();
    }

    private void checkSums(String when) {
        assertTrue(ledger.invariants().hold(), when + ": " + ledger.invariants());
        long held = 0, heldInEscrow = 0;
        Map<String, Long> heldBy = new HashMap<>();
        for (ModelOrder order : orders.values()) {
            if (!order.open) continue;
            long max = order.signed.order().maxPayment();
            held += max;
            heldBy.merge(order.signed.order().buyer(), max, Long::sum);
            if (order.signed.order().openToAny()) heldInEscrow += max;
        }
        for (String id : PROVIDERS) {
            Account a = ledger.account(id).orElseThrow();
            assertEquals(FREE + paidTo.getOrDefault(id, 0L), a.balance(), when + ": " + id + " holds what it was paid");
            assertEquals(FREE + paidTo.getOrDefault(id, 0L), a.creditsPosted(), when + ": " + id + " credited only for verified work");
        }
        for (String id : BUYERS) {
            Account a = ledger.account(id).orElseThrow();
            assertEquals(FREE - paidBy.getOrDefault(id, 0L), a.balance(), when + ": " + id + " paid what was attested");
            assertEquals(heldBy.getOrDefault(id, 0L), a.debitsPending(), when + ": " + id + " holds");
        }
        ledger.account(AcceptedOrder.ESCROW).ifPresent(escrow -> {
            assertEquals(0, escrow.balance(), when + ": escrow keeps nothing");
        });
        long escrowPending = ledger.account(AcceptedOrder.ESCROW).map(Account::creditsPending).orElse(0L);
        assertEquals(heldInEscrow, escrowPending, when);
        assertEquals(held, ledger.invariants().debitsPending(), when + ": every pending µCU is an open order's");
    }

    /**
     * Re-verifies the log on its own, as an auditor would: every settled work's attestation
     * against the registered keys, the chain rebuilt per provider, the nonce never seen before;
     * and what each provider was credited equals the sum over its verified attestations.
     */
    private void audit() {
        Map<String, WorkVerifier.ChainTip> tips = new HashMap<>();
        Set<String> nonces = new HashSet<>();
        Map<String, Long> owed = new HashMap<>();
        for (long id = 1; id <= ledger.logSize(); id++) {
            SettledWork work = ledger.settledWork(id).orElseThrow(() -> new AssertionError("only work in this ledger"));
            String provider = work.provider();
            var orderKey = Ed25519.PublicKey.decode(ledger.account(work.order().order().buyer()).orElseThrow().publicKey());
            var providerKey = Ed25519.PublicKey.decode(ledger.account(provider).orElseThrow().publicKey());
            var context = new WorkVerifier.Context(work.settledAt(), NODE, nonces::contains,
                    tips.getOrDefault(provider, WorkVerifier.ChainTip.empty()));
            var verification = WorkVerifier.verify(work.order().encode(), work.attestation().encode(), orderKey, providerKey, context);
            if (!verification.verified()) fail("paid an attestation that does not verify: " + verification.firstFailure());
            assertTrue(ledger.proof(id).verify(work.leafHash(), ledger.merkleRoot()));
            tips.put(provider, tips.getOrDefault(provider, WorkVerifier.ChainTip.empty()).after(work.attestation()));
            nonces.add(WorkVerifier.nonceKey(work.order().order()));
            owed.merge(provider, work.paid(), Long::sum);
        }
        for (String id : PROVIDERS) {
            assertEquals(owed.getOrDefault(id, 0L), ledger.account(id).orElseThrow().creditsPosted() - FREE);
            assertEquals(tips.getOrDefault(id, WorkVerifier.ChainTip.empty()).nextIndex(), ledger.chainTip(id).nextIndex());
        }
    }

    /** Asserts a refusal (with {@code expected}, unless null) and that it changed nothing. */
    private void refused(LedgerError expected, Supplier<?> call) {
        var before = snapshot();
        try {
            call.get();
            fail("expected a refusal" + (expected == null ? "" : " with " + expected.code()));
        } catch (LedgerException e) {
            if (expected != null) assertEquals(expected, e.error(), e.getMessage());
        }
        assertEquals(before, snapshot(), "a refusal changes nothing");
        refusals++;
    }

    private List<Object> snapshot() {
        List<Object> tips = new ArrayList<>();
        for (String id : PROVIDERS) tips.add(HexFormat.of().formatHex(ledger.chainTip(id).lastDigest()));
        return List.of(ledger.accounts(), ledger.transferCount(), ledger.logSize(), HexFormat.of().formatHex(ledger.merkleRoot()),
                ledger.journalHead(), tips);
    }
}
