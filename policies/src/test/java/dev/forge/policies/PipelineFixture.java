package dev.forge.policies;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Authorization;
import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerConfig;
import dev.forge.economy.ledger.SignedTrade;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real ledger and a real pipeline in a temp folder, on a clock the test moves. */
abstract class PipelineFixture {
    static final long CU = 1_000_000L;
    static final Actor OPERATOR = Actor.operator();
    static final Actor ALICE = Actor.agent("alice");
    static final Actor BOB = Actor.agent("bob");
    static final Ed25519.KeyPair ALICE_KEY = key(1);
    static final Ed25519.KeyPair BOB_KEY = key(2);
    static final Ed25519.KeyPair NODE_KEY = key(3);

    @TempDir Path dir;
    final ManualClock clock = new ManualClock();
    final AtomicInteger keys = new AtomicInteger();
    final AtomicLong nonces = new AtomicLong();
    Ledger ledger;
    SpendPipeline pipeline;

    static final class ManualClock implements InstantSource {
        final AtomicLong millis = new AtomicLong(1_800_000_000_000L);
        volatile RuntimeException broken;

        void advance(long by) {
            millis.addAndGet(by);
        }

        @Override
        public long millis() {
            if (broken != null) throw broken;
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }

    PipelineConfig config() {
        return PipelineConfig.defaults().withClock(clock);
    }

    @BeforeEach
    void openNode() {
        ledger = Ledger.open(dir.resolve("ledger"), LedgerConfig.defaults().withClock(clock));
        ledger.openAccount(AccountSpec.agent("alice", ALICE_KEY.publicKey()));
        ledger.openAccount(AccountSpec.agent("bob", BOB_KEY.publicKey()));
        ledger.openAccount(AccountSpec.provider("node", NODE_KEY.publicKey()));
        pipeline = SpendPipeline.open(dir.resolve("safety"), ledger, config());
    }

    @AfterEach
    void closeNode() {
        pipeline.close();
        ledger.close();
    }

    void restart() {
        pipeline.audit().flush();
        pipeline.close();
        ledger.close();
        ledger = Ledger.open(dir.resolve("ledger"), LedgerConfig.defaults().withClock(clock));
        pipeline = SpendPipeline.open(dir.resolve("safety"), ledger, config());
    }

    SpendRequest chat(String agent, long amount) {
        return new SpendRequest(agent, "node", SpendAction.CHAT, "stories260K", amount, "k" + keys.incrementAndGet());
    }

    Decision spend(Actor actor, long amount) {
        return pipeline.begin(actor, chat(actor.id(), amount));
    }

    long available(String account) {
        return ledger.account(account).orElseThrow().available();
    }

    /** The signed trade a chat of {@code spend} produces, charging {@code amount}. */
    SignedTrade trade(Spend spend, Ed25519.KeyPair consumerKey, long amount) {
        long nonce = nonces.incrementAndGet();
        var authorization = new Authorization(spend.request().agent(), "node", "stories260K", spend.request().amount(),
                Sha256.hashText("prompt " + nonce), nonce, clock.millis() + 600_000);
        byte[] signature = SignedTrade.authorize(authorization, consumerKey);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, signature), 5, 10, 1_000, amount,
                Sha256.hashText("output " + nonce), clock.millis());
        return SignedTrade.deliver(authorization, signature, delivery, NODE_KEY);
    }

    static Ed25519.KeyPair key(int seed) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        bytes[31] = 42;
        return Ed25519.fromSeed(bytes);
    }
}
