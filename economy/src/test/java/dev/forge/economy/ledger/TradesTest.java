package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.MerkleLog;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradesTest {
    @TempDir Path dir;
    Fixtures.ManualClock clock = new Fixtures.ManualClock();
    Ledger ledger;
    Ed25519.KeyPair aliceKey = Fixtures.key(1);
    Ed25519.KeyPair nodeKey = Fixtures.key(2);
    long expiry;

    @BeforeEach
    void open() {
        ledger = Fixtures.open(dir, clock);
        ledger.openAccount(AccountSpec.agent("alice", aliceKey.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", nodeKey.publicKey()));
        expiry = clock.millis() + 60_000;
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    SignedTrade trade(long max, long amount, long nonce) {
        return Fixtures.trade(aliceKey, "alice", nodeKey, "node", max, amount, nonce, expiry);
    }

    LedgerError refusal(SignedTrade trade, long holdId) {
        return assertThrows(LedgerException.class, () -> ledger.settle(trade, holdId)).error();
    }

    @Test
    void settlingPostsTheHoldForTheDeliveredAmount() {
        Transfer hold = ledger.transfer(TransferRequest.hold("chat-1", "alice", "node", 10 * CU, 30_000, TransferCode.TRADE));
        Trade trade = ledger.settle(trade(10 * CU, 4 * CU, 1), hold.id());
        assertEquals(1, trade.id());
        assertEquals(HoldStatus.POSTED, ledger.holdStatus(hold.id()).orElseThrow());
        assertEquals(996 * CU, ledger.account("alice").orElseThrow().available());
        assertEquals(4 * CU, ledger.account("node").orElseThrow().balance());
        assertEquals(4 * CU, ledger.findTransfer(trade.transferId()).orElseThrow().amount());
        assertEquals(trade, ledger.trade(1).orElseThrow());
    }

    @Test
    void settlingWithoutAHoldMovesTheAmountDirectly() {
        ledger.settle(trade(10 * CU, 3 * CU, 1), 0);
        assertEquals(997 * CU, ledger.account("alice").orElseThrow().balance());
    }

    @Test
    void aRetryOfTheSameTradeReturnsTheFirstAndAReusedNonceIsRefused() {
        SignedTrade signed = trade(10 * CU, 3 * CU, 7);
        Trade first = ledger.settle(signed, 0);
        assertEquals(first, ledger.settle(signed, 0));
        assertEquals(1, ledger.tradeCount());
        assertEquals(LedgerError.NONCE_REUSED, refusal(trade(10 * CU, 2 * CU, 7), 0));
        assertEquals(997 * CU, ledger.account("alice").orElseThrow().balance());
    }

    @Test
    void aTradeNeedsBothValidSignatures() {
        SignedTrade good = trade(10 * CU, 3 * CU, 1);
        var forgedConsumer = new SignedTrade(good.authorization(), Fixtures.key(66).sign(good.authorization().signedBytes()),
                good.delivery(), good.providerSignature());
        assertEquals(LedgerError.INVALID_SIGNATURE, refusal(forgedConsumer, 0));
        var forgedProvider = new SignedTrade(good.authorization(), good.consumerSignature(), good.delivery(),
                aliceKey.sign(good.delivery().signedBytes()));
        assertEquals(LedgerError.INVALID_SIGNATURE, refusal(forgedProvider, 0));
        byte[] flipped = good.consumerSignature();
        flipped[10] ^= 1;
        assertEquals(LedgerError.INVALID_SIGNATURE,
                refusal(new SignedTrade(good.authorization(), flipped, good.delivery(), good.providerSignature()), 0));
        assertEquals(0, ledger.tradeCount());
    }

    @Test
    void aDeliveryMustBeBoundToItsAuthorization() {
        SignedTrade one = trade(10 * CU, 3 * CU, 1);
        SignedTrade two = trade(10 * CU, 3 * CU, 2);
        var spliced = SignedTrade.deliver(two.authorization(), two.consumerSignature(), one.delivery(), nodeKey);
        assertEquals(LedgerError.INVALID_SIGNATURE, refusal(spliced, 0));
    }

    @Test
    void theProviderCannotChargeMoreThanAuthorized() {
        assertEquals(LedgerError.AMOUNT_EXCEEDS_AUTHORIZATION, refusal(trade(3 * CU, 3 * CU + 1, 1), 0));
    }

    @Test
    void anExpiredAuthorizationIsRefused() {
        SignedTrade signed = trade(10 * CU, 3 * CU, 1);
        clock.advance(60_001);
        assertEquals(LedgerError.AUTHORIZATION_EXPIRED, refusal(signed, 0));
    }

    @Test
    void aTradeMustMatchItsHold() {
        ledger.openAccount(AccountSpec.provider("other", Fixtures.key(3).publicKey()));
        Transfer hold = ledger.transfer(TransferRequest.hold("h", "alice", "other", 10 * CU, 30_000, 0));
        assertEquals(LedgerError.TRADE_DOES_NOT_MATCH_HOLD, refusal(trade(10 * CU, 3 * CU, 1), hold.id()));
        Transfer small = ledger.transfer(TransferRequest.hold("h2", "alice", "node", 2 * CU, 30_000, 0));
        assertEquals(LedgerError.EXCEEDS_PENDING_AMOUNT, refusal(trade(10 * CU, 3 * CU, 2), small.id()));
        assertEquals(HoldStatus.PENDING, ledger.holdStatus(small.id()).orElseThrow());
        assertEquals(0, ledger.tradeCount());
    }

    @Test
    void theConsumerMustAffordADirectTrade() {
        assertEquals(LedgerError.INSUFFICIENT_FUNDS, refusal(trade(2_000 * CU, 1_001 * CU, 1), 0));
        assertEquals(0, ledger.tradeCount());
    }

    @Test
    void malformedTradeBytesAreRefused() {
        byte[] bytes = trade(10 * CU, 3 * CU, 1).encode();
        assertEquals(trade(10 * CU, 3 * CU, 1), SignedTrade.decode(bytes));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertEquals(LedgerError.MALFORMED_TRADE, assertThrows(LedgerException.class, () -> SignedTrade.decode(truncated)).error());
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals(LedgerError.MALFORMED_TRADE, assertThrows(LedgerException.class, () -> SignedTrade.decode(longer)).error());
        assertEquals(LedgerError.MALFORMED_TRADE, assertThrows(LedgerException.class,
                () -> new Authorization("alice", "node", "m", 1, new byte[31], 1, 1)).error());
    }

    @Test
    void theMerkleRootCoversEveryTradeAndProofsVerify() {
        for (int i = 1; i <= 25; i++) ledger.settle(trade(10 * CU, i, i), 0);
        var recomputed = new MerkleLog();
        for (long id = 1; id <= 25; id++) recomputed.append(ledger.trade(id).orElseThrow().leafHash());
        byte[] root = ledger.merkleRoot();
        assertArrayEquals(recomputed.root(), root);
        for (long id = 1; id <= 25; id++) {
            Trade trade = ledger.trade(id).orElseThrow();
            assertTrue(ledger.proof(id).verifyLeafData(trade.leafBytes(), root), "trade " + id);
        }
        assertEquals(LedgerError.INVALID_ARGUMENT, assertThrows(LedgerException.class, () -> ledger.proof(26)).error());
    }

    @Test
    void anEmptyLedgerHasTheEmptyRoot() {
        assertArrayEquals(Sha256.hash(new byte[0]), ledger.merkleRoot());
    }
}
