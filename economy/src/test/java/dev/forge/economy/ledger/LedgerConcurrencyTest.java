package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 threads place holds and post or void them on the same few accounts. Nobody ends below
 * their limit, and the final balances are exactly what the accepted operations imply.
 */
class LedgerConcurrencyTest {
    private static final int THREADS = 32;
    private static final int ROUNDS = 60;
    private static final List<String> AGENTS = List.of("a0", "a1", "a2");
    private static final List<String> PROVIDERS = List.of("p0", "p1");

    @TempDir Path dir;
    final Map<String, AtomicLong> expected = new ConcurrentHashMap<>();
    final AtomicLong refusedForFunds = new AtomicLong();

    @Test
    void concurrentHoldsAndPostsNeverOverspend() throws Exception {
        try (Ledger ledger = Fixtures.open(dir, java.time.InstantSource.system())) {
            for (int i = 0; i < AGENTS.size(); i++) {
                ledger.openAccount(AccountSpec.agent(AGENTS.get(i), Fixtures.key(10 + i).publicKey()));
                expected.put(AGENTS.get(i), new AtomicLong(1_000 * CU));
            }
            for (int i = 0; i < PROVIDERS.size(); i++) {
                ledger.openAccount(AccountSpec.provider(PROVIDERS.get(i), Fixtures.key(20 + i).publicKey()));
                expected.put(PROVIDERS.get(i), new AtomicLong());
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = IntStream.range(0, THREADS)
                        .mapToObj(t -> pool.submit(() -> work(ledger, t))).collect(java.util.stream.Collectors.toList());
                for (Future<?> f : done) f.get();
            } finally {
                pool.shutdown();
            }
            for (var entry : expected.entrySet()) {
                Account account = ledger.account(entry.getKey()).orElseThrow();
                assertEquals(entry.getValue().get(), account.balance(), account.toString());
                assertEquals(0, account.debitsPending(), "every hold was resolved: " + account);
                assertTrue(account.available() >= 0, account.toString());
            }
            ledger.invariants().check();
            assertTrue(refusedForFunds.get() > 0, "the test must push accounts to their limit");
        }
    }

    private void work(Ledger ledger, int thread) {
        var random = new Random(thread);
        for (int round = 0; round < ROUNDS; round++) {
            String agent = AGENTS.get(random.nextInt(AGENTS.size()));
            String provider = PROVIDERS.get(random.nextInt(PROVIDERS.size()));
            long amount = 1 + random.nextLong(120 * CU);
            String key = "t" + thread + "-" + round;
            try {
                Transfer hold = ledger.transfer(TransferRequest.hold(key, agent, provider, amount, 60_000, 0));
                if (random.nextInt(4) == 0) {
                    ledger.transfer(TransferRequest.voidHold(key + "-void", hold.id()));
                } else {
                    long posted = 1 + random.nextLong(amount);
                    ledger.transfer(TransferRequest.post(key + "-post", hold.id(), posted));
                    expected.get(agent).addAndGet(-posted);
                    expected.get(provider).addAndGet(posted);
                }
            } catch (LedgerException e) {
                assertEquals(LedgerError.INSUFFICIENT_FUNDS, e.error(), e.toString());
                refusedForFunds.incrementAndGet();
            }
        }
    }
}
