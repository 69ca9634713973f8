package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forge.economy.crypto.Ed25519;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The balance a settle returns is the balance as of exactly that entry: while trades settle on
 * holds, other threads spend from the same consumer and pay out of the same provider, and every
 * returned figure is checked against a replay of the ledger's transfers in commit order.
 */
class SettlementBalanceTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 25;

    @TempDir Path dir;
    final Ed25519.KeyPair aliceKey = Fixtures.key(1);
    final Ed25519.KeyPair nodeKey = Fixtures.key(2);

    @Test
    void concurrentSpendsDoNotShowInASettlesBalance() throws Exception {
        List<Trade> trades = new ArrayList<>();
        try (Ledger ledger = Fixtures.open(dir, InstantSource.system())) {
            ledger.openAccount(AccountSpec.agent("alice", aliceKey.publicKey()));
            ledger.openAccount(AccountSpec.provider("node", nodeKey.publicKey()));
            ledger.openAccount(AccountSpec.agent("bob", Fixtures.key(3).publicKey()));
            ledger.transfer(TransferRequest.single("seed-node", "bob", "node", 100 * CU, TransferCode.TRADE));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS * 2);
            try {
                List<Future<List<Trade>>> settlers = new ArrayList<>();
                List<Future<?>> spenders = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    settlers.add(pool.submit(() -> settle(ledger, thread)));
                    spenders.add(pool.submit(() -> spend(ledger, thread)));
                }
                for (var settler : settlers) trades.addAll(settler.get());
                for (var spender : spenders) spender.get();
            } finally {
                pool.shutdownNow();
            }
            assertEquals(THREADS * ROUNDS, trades.size());
            checkAgainstReplay(ledger, trades);
        }
        // Reopening replays the journal: the trades it rebuilds carry the same figures.
        try (Ledger reopened = Fixtures.open(dir, InstantSource.system())) {
            for (Trade trade : trades) assertEquals(trade, reopened.trade(trade.id()).orElseThrow());
        }
    }

    /** A chat's path: hold the most it may cost, then settle the trade on the hold. */
    private List<Trade> settle(Ledger ledger, int thread) {
        List<Trade> settled = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long nonce = thread * 1_000L + round + 1;
            Transfer hold = ledger.transfer(TransferRequest.hold("hold-" + nonce, "alice", "node", 2 * CU, 60_000,
                    TransferCode.TRADE));
            SignedTrade trade = Fixtures.trade(aliceKey, "alice", nodeKey, "node", 2 * CU, CU + nonce,
                    nonce, System.currentTimeMillis() + 60_000);
            settled.add(ledger.settle(trade, hold.id()));
        }
        return settled;
    }

    /** Spends that race the settles: out of the consumer, and out of the provider. */
    private Void spend(Ledger ledger, int thread) {
        for (int round = 0; round < ROUNDS; round++) {
            ledger.transfer(TransferRequest.single("spend-" + thread + "-" + round, "alice", "bob", 3 * CU, TransferCode.TRADE));
            ledger.transfer(TransferRequest.single("pay-" + thread + "-" + round, "node", "bob", 1, TransferCode.TRADE));
        }
        return null;
    }

    /** Replays every transfer in commit order; a trade's figures are the balances just after its payment. */
    private static void checkAgainstReplay(Ledger ledger, List<Trade> trades) {
        Map<Long, Trade> byPayment = new HashMap<>();
        trades.forEach(t -> byPayment.put(t.transferId(), t));
        Map<String, Long> balances = new HashMap<>();
        int checked = 0;
        for (long id = 1; id <= ledger.transferCount(); id++) {
            Transfer t = ledger.findTransfer(id).orElseThrow();
            long posted = t.phase() == Phase.SINGLE || t.phase() == Phase.POST ? t.amount() : 0;
            balances.merge(t.debitAccount(), -posted, Long::sum);
            balances.merge(t.creditAccount(), posted, Long::sum);
            Trade trade = byPayment.get(id);
            if (trade == null) continue;
            assertEquals(balances.get("alice"), trade.consumerBalance(), "alice after trade " + trade.id());
            assertEquals(balances.get("node"), trade.providerBalance(), "node after trade " + trade.id());
            checked++;
        }
        assertEquals(trades.size(), checked);
        assertEquals(ledger.account("alice").orElseThrow().balance(), balances.get("alice"));
        // Every trade moved alice's balance, so a figure read after the fact would match at most the last.
        assertEquals(trades.size(), trades.stream().mapToLong(Trade::consumerBalance).distinct().count());
    }
}
