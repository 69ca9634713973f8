package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** Keys, clocks and signed trades for ledger tests. */
final class Fixtures {
    static final long CU = Limits.MICRO_PER_CU;

    private Fixtures() {}

    /** A clock the test moves by hand. */
    static final class ManualClock implements InstantSource {
        private final AtomicLong millis;

        ManualClock(long startMillis) {
            millis = new AtomicLong(startMillis);
        }

        ManualClock() {
            this(1_800_000_000_000L);
        }

        void advance(long by) {
            millis.addAndGet(by);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }

    static Ledger open(Path dir, InstantSource clock) {
        return Ledger.open(dir, LedgerConfig.defaults().withClock(clock));
    }

    static Ed25519.KeyPair key(int seed) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        bytes[1] = (byte) (seed >> 8);
        bytes[31] = 7;
        return Ed25519.fromSeed(bytes);
    }

    /** A trade both parties signed: consumer pays {@code amount} of at most {@code max}. */
    static SignedTrade trade(Ed25519.KeyPair consumerKey, String consumer, Ed25519.KeyPair providerKey, String provider,
                             long max, long amount, long nonce, long expiresAt) {
        var authorization = new Authorization(consumer, provider, "stories260K", max,
                Sha256.hashText("prompt " + nonce), nonce, expiresAt);
        byte[] consumerSignature = SignedTrade.authorize(authorization, consumerKey);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, consumerSignature), 12, 30,
                1_000, amount, Sha256.hashText("output " + nonce), expiresAt - 1);
        return SignedTrade.deliver(authorization, consumerSignature, delivery, providerKey);
    }
}
