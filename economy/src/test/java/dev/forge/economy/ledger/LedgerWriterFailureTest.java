package dev.forge.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.merkle.MerkleLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that fails while submitters wait on a full queue: the writer must still record its
 * failure and answer every one of them with {@code ledger_failed}. It used to hang: a submitter
 * blocked in {@code put} held the lock that the failing writer needed.
 */
class LedgerWriterFailureTest {
    private static final int SUBMITTERS = 8;

    @TempDir Path dir;

    @Test
    void aCommitFailureUnderAFullQueueAnswersEverySubmitter() throws Exception {
        Journal journal = Journal.open(dir);
        var merkle = new MerkleLog();
        var state = new LedgerState(0, merkle);
        var config = new LedgerConfig(java.time.InstantSource.system(), 0, 1, 2, 50);
        var writer = new LedgerWriter(journal, state, new LedgerView(merkle), config, 0);
        var release = new CountDownLatch(1);
        CompletableFuture<Object> stall = writer.query(s -> awaitQuietly(release));

        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
        List<Future<CompletableFuture<Object>>> submitted = new ArrayList<>();
        for (int i = 0; i < SUBMITTERS; i++) {
            var spec = AccountSpec.system("acct" + i, AccountKind.ESCROW);
            submitted.add(submitters.submit(() -> writer.submit(new Command.OpenAccount(spec))));
        }
        Thread.sleep(200); // lets the submitters fill the queue of two and wait behind it
        journal.close();   // a real failure: the next commit finds its store closed
        release.countDown();

        stall.get(10, TimeUnit.SECONDS);
        int failed = 0;
        for (var future : submitted) {
            CompletableFuture<Object> answer = future.get(10, TimeUnit.SECONDS);
            ExecutionException error = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> answer.get(10, TimeUnit.SECONDS));
            LedgerException refusal = assertInstanceOf(LedgerException.class, error.getCause());
            assertTrue(refusal.error() == LedgerError.LEDGER_FAILED || refusal.error() == LedgerError.LEDGER_CLOSED,
                    refusal.getMessage());
            failed++;
        }
        assertEquals(SUBMITTERS, failed);
        submitters.shutdownNow();
        writer.close();
    }

    private static Object awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "released";
    }
}
