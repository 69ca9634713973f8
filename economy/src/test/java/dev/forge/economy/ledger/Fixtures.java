package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** Keys, clocks and signed trades for ledger and market tests. */
public final class Fixtures {
    public static final long CU = Limits.MICRO_PER_CU;

    private Fixtures() {}

    /** A clock the test moves by hand. */
    public static final class ManualClock implements InstantSource {
        private final AtomicLong millis;

        public ManualClock(long startMillis) {
            millis = new AtomicLong(startMillis);
        }

        public ManualClock() {
            this(1_800_000_000_000L);
        }

        public void advance(long by) {
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

    public static Ledger open(Path dir, InstantSource clock) {
        return Ledger.open(dir, LedgerConfig.defaults().withClock(clock));
    }

    public static Ed25519.KeyPair key(int seed) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        bytes[1] = (byte) (seed >> 8);
        bytes[31] = 7;
        return Ed25519.fromSeed(bytes);
    }

    /** A trade both parties signed: consumer pays {@code amount} of at most {@code max}. */
    static SignedTrade trade(Ed25519.KeyPair consumerKey, String consumer, Ed25519.KeyPair providerKey, String provider,
                             long max, long amount, long nonce, long expiresAt) {
        return trade(consumerKey, consumer, providerKey, provider, "stories260K", 12, 30, max, amount, nonce, expiresAt);
    }

    /** A trade of {@code model} with the given token counts. */
    public static SignedTrade trade(Ed25519.KeyPair consumerKey, String consumer, Ed25519.KeyPair providerKey, String provider,
                                    String model, int promptTokens, int completionTokens, long max, long amount, long nonce,
                                    long expiresAt) {
        var authorization = new Authorization(consumer, provider, model, max,
                Sha256.hashText("prompt " + nonce), nonce, expiresAt);
        byte[] consumerSignature = SignedTrade.authorize(authorization, consumerKey);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, consumerSignature), promptTokens, completionTokens,
                1_000, amount, Sha256.hashText("output " + nonce), expiresAt - 1);
        return SignedTrade.deliver(authorization, consumerSignature, delivery, providerKey);
    }
}
