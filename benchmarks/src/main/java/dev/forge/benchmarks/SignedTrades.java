package dev.forge.benchmarks;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.Authorization;
import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.SignedTrade;
import java.util.stream.IntStream;

/** Pre-signed trades, so the benchmarks measure the ledger and not the clients' signing. */
final class SignedTrades {
    static final Ed25519.KeyPair CONSUMER = Ed25519.fromSeed(seed(1));
    static final Ed25519.KeyPair PROVIDER = Ed25519.fromSeed(seed(2));

    private SignedTrades() {}

    static SignedTrade[] batch(int count, long expiresAt) {
        return IntStream.range(0, count).parallel().mapToObj(i -> make(i + 1L, expiresAt)).toArray(SignedTrade[]::new);
    }

    static SignedTrade make(long nonce, long expiresAt) {
        var authorization = new Authorization("agent", "node", "bench", 1_000, Sha256.hashText("prompt " + nonce),
                nonce, expiresAt);
        byte[] signature = SignedTrade.authorize(authorization, CONSUMER);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, signature), 10, 20, 30, 1,
                Sha256.hashText("output " + nonce), expiresAt - 1);
        return SignedTrade.deliver(authorization, signature, delivery, PROVIDER);
    }

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        seed[0] = (byte) value;
        return seed;
    }
}
