package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static dev.forge.economy.ledger.WorkDeals.NODE;
import static dev.forge.economy.ledger.WorkDeals.honest;
import static dev.forge.economy.ledger.WorkDeals.order;
import static dev.forge.economy.ledger.WorkDeals.sign;
import static dev.forge.economy.ledger.WorkDeals.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Check;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Work orders on a real ledger: a buyer, two providers with their own keys, and every way to cheat. */
class WorkLedgerTest extends WorkLedgerFixture {
    static final Ed25519.KeyPair BOB = Fixtures.key(102);
    static final Ed25519.KeyPair CAROL = Fixtures.key(103);
    static final Ed25519.KeyPair STRANGER = Fixtures.key(105);

    @BeforeEach
    void openProviders() {
        ledger.openAccount(AccountSpec.agent("bob", BOB.publicKey()));
        ledger.openAccount(AccountSpec.agent("carol", CAROL.publicKey()));
    }

    SignedWorkOrder orderFor(String provider, long maxCost, long reward) {
        return order(ALICE, "alice", provider, maxCost, reward, ++nonce, clock.millis() + 60_000);
    }

    /** 40 tokens at 1 CU per 1,000: 0.04 CU. */
    SignedAttestation deliver(SignedWorkOrder order, String provider, Ed25519.KeyPair key) {
        return sign(honest(order, provider, ledger.chainTip(provider), 15, 25, CU, clock.millis()), key);
    }

    @Test
    void aNamedOrderHoldsTheMostItCanCostAndAVerifiedAttestationPaysExactlyWhatItStates() {
        SignedWorkOrder order = orderFor("bob", 2 * CU, CU / 2);
        AcceptedOrder accepted = ledger.acceptOrder(order);
        assertEquals("bob", accepted.payee());
        assertEquals(FREE - 5 * CU / 2, available("alice"));
        assertEquals(HoldStatus.PENDING, ledger.holdStatus(accepted.id()).orElseThrow());
        assertEquals(WorkStatus.OPEN, ledger.workStatus(accepted.id()).orElseThrow());

        SignedAttestation attestation = deliver(order, "bob", BOB);
        SettledWork work = ledger.settleWork(accepted.id(), attestation, NODE);

        long paid = attestation.attestation().amount() + CU / 2;
        assertEquals(40_000 + CU / 2, paid);
        assertEquals(paid, work.paid());
        assertEquals(FREE + paid, balance("bob"));
        assertEquals(FREE - paid, balance("alice"));
        assertEquals(FREE - paid, available("alice"), "the rest of the hold returned");
        assertEquals(WorkStatus.SETTLED, ledger.workStatus(accepted.id()).orElseThrow());
        assertEquals(new WorkVerifier.ChainTip(1, attestation.digest()).nextIndex(), ledger.chainTip("bob").nextIndex());
        assertArrayEquals(attestation.digest(), ledger.chainTip("bob").lastDigest());
        assertEquals(work, ledger.settledWork(work.id()).orElseThrow());
        assertTrue(ledger.proof(work.id()).verify(work.leafHash(), ledger.merkleRoot()));
    }

    @Test
    void anOpenOrderWaitsInEscrowAndPaysWhoeverDelivers() {
        SignedWorkOrder order = orderFor("", CU, 0);
        AcceptedOrder accepted = ledger.acceptOrder(order);
        assertEquals(AcceptedOrder.ESCROW, accepted.payee());
        assertEquals(AccountKind.ESCROW, ledger.account(AcceptedOrder.ESCROW).orElseThrow().kind());

        SettledWork work = ledger.settleWork(accepted.id(), deliver(order, "carol", CAROL), NODE);

        assertEquals(FREE + 40_000, balance("carol"));
        assertEquals(FREE - 40_000, balance("alice"));
        assertEquals(FREE - 40_000, work.buyerBalance(), "the settle's own figure, after escrow paid on");
        assertEquals(FREE + 40_000, work.providerBalance());
        assertEquals(0, balance(AcceptedOrder.ESCROW));
        assertEquals(0, ledger.account(AcceptedOrder.ESCROW).orElseThrow().creditsPending());
        Transfer payment = ledger.findTransfer(work.transferId()).orElseThrow();
        assertEquals(AcceptedOrder.ESCROW, payment.debitAccount());
        assertEquals("carol", payment.creditAccount());
    }

    @Test
    void balancesAgreeExactlyWithTheAttestationsOfTwoProviders() {
        long owedBob = 0, owedCarol = 0;
        for (int i = 0; i < 12; i++) {
            String provider = i % 3 == 0 ? "carol" : "bob";
            Ed25519.KeyPair key = provider.equals("bob") ? BOB : CAROL;
            SignedWorkOrder order = orderFor(i % 2 == 0 ? "" : provider, CU, i * 1_000L);
            AcceptedOrder accepted = ledger.acceptOrder(order);
            var attestation = sign(honest(order, provider, ledger.chainTip(provider), 10 + i, 3 * i, 7_777 + i, clock.millis()), key);
            SettledWork work = ledger.settleWork(accepted.id(), attestation, NODE);
            long paid = attestation.attestation().amount() + i * 1_000L;
            assertEquals(paid, work.paid());
            if (provider.equals("bob")) owedBob += paid;
            else owedCarol += paid;
            clock.advance(100);
        }
        assertEquals(FREE + owedBob, balance("bob"));
        assertEquals(FREE + owedCarol, balance("carol"));
        assertEquals(FREE - owedBob - owedCarol, balance("alice"));
        assertEquals(FREE - owedBob - owedCarol, available("alice"));
        assertEquals(8, ledger.chainTip("bob").nextIndex());
        assertEquals(4, ledger.chainTip("carol").nextIndex());
    }

    @Test
    void aCustodialOrderIsCheckedAgainstTheCustodiansKey() {
        SignedWorkOrder order = order(NODE_KEY, "alice", "bob", CU, 0, ++nonce, clock.millis() + 60_000,
                WorkOrder.Signer.CUSTODIAL);
        refused(LedgerError.INVALID_ARGUMENT, () -> ledger.acceptOrder(order));
        refused(LedgerError.INVALID_SIGNATURE, () -> ledger.acceptOrder(order, "bob"));
        refused(LedgerError.ACCOUNT_NOT_FOUND, () -> ledger.acceptOrder(order, "nobody"));
        AcceptedOrder accepted = ledger.acceptOrder(order, "node");
        assertEquals("node", accepted.custodian());
        ledger.settleWork(accepted.id(), deliver(order, "bob", BOB), NODE);
        assertEquals(FREE + 40_000, balance("bob"));

        SignedWorkOrder ownKey = orderFor("bob", CU, 0);
        refused(LedgerError.INVALID_ARGUMENT, () -> ledger.acceptOrder(ownKey, "node"));
    }

    @Test
    void anOrderIsRefusedUnlessSignedFreshFundedAndForAProvider() {
        SignedWorkOrder order = orderFor("bob", CU, 0);
        long orderNonce = nonce;
        refused(LedgerError.INVALID_SIGNATURE, () -> ledger.acceptOrder(new SignedWorkOrder(order.order(),
                STRANGER.sign(order.order().signedBytes()))));
        refused(LedgerError.ORDER_EXPIRED, () -> ledger.acceptOrder(order(ALICE, "alice", "bob", CU, 0, ++nonce, clock.millis())));
        refused(LedgerError.INVALID_TIMEOUT, () -> ledger.acceptOrder(order(ALICE, "alice", "bob", CU, 0, ++nonce,
                clock.millis() + Limits.MAX_HOLD_TIMEOUT_MILLIS + 1)));
        refused(LedgerError.INSUFFICIENT_FUNDS, () -> ledger.acceptOrder(orderFor("bob", FREE, 1)));
        refused(LedgerError.ACCOUNT_NOT_FOUND, () -> ledger.acceptOrder(orderFor("dave", CU, 0)));
        ledger.openAccount(AccountSpec.system("pool", AccountKind.POOL));
        refused(LedgerError.INVALID_PROVIDER_ACCOUNT, () -> ledger.acceptOrder(orderFor("pool", CU, 0)));
        refused(LedgerError.ACCOUNT_NOT_FOUND, () -> ledger.acceptOrder(order(STRANGER, "eve", "bob", CU, 0, 1,
                clock.millis() + 1_000)));

        AcceptedOrder accepted = ledger.acceptOrder(order);
        assertEquals(accepted, ledger.acceptOrder(order), "the same order again is a retry");
        refused(LedgerError.NONCE_REUSED, () -> ledger.acceptOrder(order(ALICE, "alice", "carol", 2 * CU, 0, orderNonce,
                clock.millis() + 50_000)));
        assertEquals(FREE - CU, available("alice"));
    }

    @Test
    void theNonceStaysUsedAfterARestart() {
        SignedWorkOrder order = orderFor("bob", CU, 0);
        ledger.acceptOrder(order);
        ledger.close();
        ledger = Fixtures.open(dir, clock);
        SignedWorkOrder again = order(ALICE, "alice", "carol", 3 * CU, 0, nonce, clock.millis() + 50_000);
        refused(LedgerError.NONCE_REUSED, () -> ledger.acceptOrder(again));
    }

    @Test
    void aCheatingProviderIsRefusedWithAStableCodeAndPaidNothing() {
        SignedWorkOrder order = orderFor("bob", CU, CU / 10);
        long id = ledger.acceptOrder(order).id();
        Attestation good = honest(order, "bob", ledger.chainTip("bob"), 15, 25, CU, clock.millis());
        byte[] forged = Sha256.hashText("forged");

        cheat(LedgerError.ORDER_MISMATCH, id, sign(with(good, forged, null, null, null, null, null, null), BOB));
        cheat(LedgerError.MODEL_MISMATCH, id, sign(with(good, null, forged, null, null, null, null, null), BOB));
        cheat(LedgerError.INPUT_MISMATCH, id, sign(with(good, null, null, forged, null, null, null, null), BOB));
        cheat(LedgerError.AMOUNT_EXCEEDS_ORDER, id, sign(with(good, null, null, null, 2 * CU, null, null, null), BOB));
        cheat(LedgerError.AMOUNT_MISMATCH, id, sign(with(good, null, null, null, good.amount() + 1, null, null, null), BOB));
        cheat(LedgerError.INVALID_SIGNATURE, id, sign(good, STRANGER));
        cheat(LedgerError.INVALID_SIGNATURE, id, sign(good, CAROL));
        cheat(LedgerError.CHAIN_GAP, id, sign(with(good, null, null, null, null, null, 3L, null), BOB));
        cheat(LedgerError.CHAIN_BROKEN, id, sign(with(good, null, null, null, null, null, null, forged), BOB));
        cheat(LedgerError.ORDER_EXPIRED, id, sign(with(good, null, null, null, null, order.order().expiresAt() + 1, null, null), BOB));
        cheat(LedgerError.WRONG_AUDIENCE, id, sign(good, BOB), "node-b");
        cheat(LedgerError.WRONG_PROVIDER, id, sign(honest(order, "carol", ledger.chainTip("carol"), 15, 25, CU, clock.millis()), CAROL));

        SettledWork work = ledger.settleWork(id, sign(good, BOB), NODE);
        assertEquals(FREE + good.amount() + CU / 10, balance("bob"), "the honest one is paid, once");
        assertEquals(work, ledger.settleWork(id, sign(good, BOB), NODE), "the same attestation again is a retry");
        var second = sign(honest(order, "bob", ledger.chainTip("bob"), 15, 25, CU, clock.millis()), BOB);
        cheat(LedgerError.NONCE_REUSED, id, second);
    }

    @Test
    void aDeliveryAfterTheOrderExpiredIsRefusedAndTheHoldIsReleased() {
        SignedWorkOrder order = orderFor("bob", CU, 0);
        long id = ledger.acceptOrder(order).id();
        SignedAttestation late = deliver(order, "bob", BOB);
        clock.advance(60_000);
        ledger.expireDueHolds();
        assertEquals(WorkStatus.EXPIRED, ledger.workStatus(id).orElseThrow());
        assertEquals(FREE, available("alice"));
        cheat(LedgerError.ORDER_EXPIRED, id, late);
        refused(LedgerError.ORDER_EXPIRED, () -> ledger.voidWork(id));
    }

    @Test
    void aFailedDeliveryLeavesTheHoldUntilVoided() {
        SignedWorkOrder order = orderFor("bob", CU, 0);
        long id = ledger.acceptOrder(order).id();
        cheat(LedgerError.INVALID_SIGNATURE, id, deliver(order, "bob", STRANGER));
        assertEquals(WorkStatus.OPEN, ledger.workStatus(id).orElseThrow());
        assertEquals(FREE - CU, available("alice"));
        Transfer voided = ledger.voidWork(id);
        assertEquals(Phase.VOID, voided.phase());
        assertEquals(FREE, available("alice"));
        assertEquals(WorkStatus.VOIDED, ledger.workStatus(id).orElseThrow());
        cheat(LedgerError.WORK_ORDER_CLOSED, id, deliver(order, "bob", BOB));
        refused(LedgerError.WORK_ORDER_CLOSED, () -> ledger.voidWork(id));
        refused(LedgerError.WORK_ORDER_NOT_FOUND, () -> ledger.voidWork(id + 100));
        refused(LedgerError.WORK_ORDER_NOT_FOUND, () -> ledger.settleWork(id + 100, deliver(order, "bob", BOB), NODE));
    }

    @Test
    void onlyTheWorkCommandsResolveAWorkHold() {
        SignedWorkOrder order = orderFor("bob", CU, 0);
        long id = ledger.acceptOrder(order).id();
        refused(LedgerError.HOLD_BELONGS_TO_WORK_ORDER, () -> ledger.transfer(TransferRequest.post("steal", id, CU)));
        refused(LedgerError.HOLD_BELONGS_TO_WORK_ORDER, () -> ledger.transfer(TransferRequest.voidHold("drop", id)));
        SignedTrade trade = Fixtures.trade(ALICE, "alice", BOB, "bob", CU, CU, 1, clock.millis() + 1_000);
        refused(LedgerError.HOLD_BELONGS_TO_WORK_ORDER, () -> ledger.settle(trade, id));
    }

    @Test
    void theBuyerCannotDeliverItsOwnOpenOrder() {
        SignedWorkOrder order = orderFor("", CU, 0);
        long id = ledger.acceptOrder(order).id();
        cheat(LedgerError.ACCOUNTS_MUST_BE_DIFFERENT, id, deliver(order, "alice", ALICE));
        cheat(LedgerError.INVALID_PROVIDER_ACCOUNT, id, deliver(order, "treasury", STRANGER));
    }

    @Test
    void workOwedNothingReleasesTheWholeHold() {
        SignedWorkOrder order = orderFor("bob", CU, 0);
        long id = ledger.acceptOrder(order).id();
        SettledWork work = ledger.settleWork(id, sign(honest(order, "bob", ledger.chainTip("bob"), 5, 5, 0, clock.millis()), BOB), NODE);
        assertEquals(0, work.paid());
        assertEquals(Phase.VOID, ledger.findTransfer(work.transferId()).orElseThrow().phase());
        assertEquals(WorkStatus.SETTLED, ledger.workStatus(id).orElseThrow());
        assertEquals(FREE, balance("alice"));
        assertEquals(1, ledger.chainTip("bob").nextIndex());
    }

    @Test
    void tradesAndSettledWorkShareOneLogAndItsIds() {
        SignedTrade trade = Fixtures.trade(ALICE, "alice", BOB, "bob", CU, CU / 2, 1, clock.millis() + 1_000);
        Trade first = ledger.settle(trade, 0);
        SignedWorkOrder order = orderFor("bob", CU, 0);
        SettledWork work = ledger.settleWork(ledger.acceptOrder(order).id(), deliver(order, "bob", BOB), NODE);
        Trade third = ledger.settle(Fixtures.trade(ALICE, "alice", CAROL, "carol", CU, CU / 4, 2, clock.millis() + 1_000), 0);
        assertEquals(List.of(1L, 2L, 3L), List.of(first.id(), work.id(), third.id()));
        assertEquals(3, ledger.logSize());
        assertEquals(2, ledger.tradeCount());
        assertTrue(ledger.trade(2).isEmpty());
        assertTrue(ledger.settledWork(1).isEmpty());
        byte[] root = ledger.merkleRoot();
        assertTrue(ledger.proof(1).verify(first.leafHash(), root));
        assertTrue(ledger.proof(2).verify(work.leafHash(), root));
        assertTrue(ledger.proof(3).verify(third.leafHash(), root));
    }

    @Test
    void everyVerifierCodeIsALedgerCode() {
        for (String code : List.of("malformed_work_record", "invalid_signature", "order_mismatch", "wrong_provider",
                "input_mismatch", "model_mismatch", "replay_mismatch", "tokens_exceed_order", "amount_exceeds_order",
                "amount_mismatch", "order_expired", "wrong_audience", "nonce_reused", "chain_gap", "chain_broken")) {
            assertEquals(code, LedgerError.ofCode(code).code());
        }
    }

    void cheat(LedgerError expected, long orderId, SignedAttestation attestation) {
        cheat(expected, orderId, attestation, NODE);
    }

    void cheat(LedgerError expected, long orderId, SignedAttestation attestation, String audience) {
        LedgerException e = refused(expected, () -> ledger.settleWork(orderId, attestation, audience));
        if (e instanceof WorkRefusedException w) {
            assertTrue(w.verification().checks().stream().anyMatch(c -> c.verdict() == Check.Verdict.FAIL
                    && c.code().equals(expected.code())));
        }
    }

    /** Asserts the refusal and that it changed nothing at all. */
    LedgerException refused(LedgerError expected, Supplier<?> call) {
        var before = snapshot();
        LedgerException e = assertThrows(LedgerException.class, call::get);
        assertEquals(expected, e.error(), e.getMessage());
        assertEquals(before, snapshot(), "a refusal changes nothing");
        return e;
    }

    List<Object> snapshot() {
        return List.of(ledger.accounts(), ledger.transferCount(), ledger.logSize(), java.util.HexFormat.of().formatHex(
                ledger.merkleRoot()), ledger.journalHead(), ledger.chainTip("bob").nextIndex(), ledger.chainTip("carol").nextIndex());
    }
}
