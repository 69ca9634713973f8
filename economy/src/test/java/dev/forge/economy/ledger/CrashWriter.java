package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A child process for {@link LedgerCrashTest}: settles trades from several threads as fast as
 * it can and prints "ack ID NONCE" on stdout for each one the ledger acknowledged, until it
 * is killed. Args: ledger folder, first nonce.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long firstNonce = Long.parseLong(args[1]);
        Ledger ledger = Ledger.open(dir);
        Ed25519.KeyPair consumerKey = Fixtures.key(1);
        Ed25519.KeyPair providerKey = Fixtures.key(2);
        ledger.openAccount(AccountSpec.agent("alice", consumerKey.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", providerKey.publicKey()));
        System.out.println("ready");
        System.out.flush();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long start = firstNonce + t * 1_000_000L;
            threads.add(Thread.ofPlatform().start(() -> settleForever(ledger, consumerKey, providerKey, start)));
        }
        for (Thread thread : threads) thread.join();
    }

    private static void settleForever(Ledger ledger, Ed25519.KeyPair consumerKey, Ed25519.KeyPair providerKey, long nonce) {
        while (true) {
            long expires = System.currentTimeMillis() + 3_600_000;
            List<CompletableFuture<Trade>> inFlight = new ArrayList<>();
            for (int i = 0; i < 16; i++, nonce++) {
                SignedTrade trade = Fixtures.trade(consumerKey, "alice", providerKey, "node", 1_000, 1, nonce, expires);
                inFlight.add(ledger.settleAsync(trade, 0));
            }
            for (CompletableFuture<Trade> future : inFlight) {
                Trade trade = future.join();
                synchronized (System.out) {
                    System.out.println("ack " + trade.id() + " " + trade.signed().authorization().nonce());
                    System.out.flush();
                }
            }
        }
    }
}
