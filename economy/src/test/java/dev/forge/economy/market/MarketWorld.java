package dev.forge.economy.market;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Fixtures;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.ledger.TransferRequest;
import dev.forge.economy.work.VerificationRate;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** A real ledger and market with agents and providers that hold keys, on a clock the test moves. */
public final class MarketWorld implements AutoCloseable {
    public final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    public final Ledger ledger;
    public final Market market;
    private final Map<String, Ed25519.KeyPair> keys = new HashMap<>();
    private long nonce;

    public MarketWorld(Path dir) {
        this(dir, MarketConfig.DEFAULT);
    }

    MarketWorld(Path dir, MarketConfig config) {
        ledger = Fixtures.open(dir, clock);
        market = new Market(ledger, config, clock);
    }

    /** A market whose verification rates come from {@code verification} (a node's {@code ChainBook::rate}). */
    public MarketWorld(Path dir, Function<String, VerificationRate> verification) {
        ledger = Fixtures.open(dir, clock);
        market = new Market(ledger, MarketConfig.DEFAULT, clock, verification);
    }

    /** Opens an agent account (with the 1,000 CU free tier). */
    public String agent(String id) {
        keys.put(id, Fixtures.key(keys.size() + 1));
        ledger.openAccount(AccountSpec.agent(id, keys.get(id).publicKey()));
        return id;
    }

    public String provider(String id) {
        keys.put(id, Fixtures.key(keys.size() + 1));
        ledger.openAccount(AccountSpec.provider(id, keys.get(id).publicKey()));
        return id;
    }

    /** A settled trade of {@code tokens} tokens of {@code model}, through the market. */
    public Trade trade(String consumer, String provider, String model, int tokens, long amount) {
        long n = ++nonce;
        var signed = Fixtures.trade(keys.get(consumer), consumer, keys.get(provider), provider, model, tokens / 2,
                tokens - tokens / 2, amount, amount, n, clock.millis() + 60_000);
        return market.settle(signed, 0);
    }

    /** A chat that was paid for with a hold and failed: the hold is voided. */
    public void failedTrade(String consumer, String provider, long amount) {
        long n = ++nonce;
        var hold = ledger.transfer(TransferRequest.hold("fail-" + n, consumer, provider, amount, 60_000, TransferCode.TRADE));
        ledger.transfer(TransferRequest.voidHold("fail-" + n + ":void", hold.id()));
    }

    @Override
    public void close() {
        ledger.close();
    }
}
