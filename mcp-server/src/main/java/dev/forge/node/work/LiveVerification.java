package dev.forge.node.work;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.work.Bodies;
import dev.forge.economy.work.Chain;
import dev.forge.economy.work.LogProofs;
import dev.forge.economy.work.TreeHead;
import dev.forge.economy.work.ChainBook;
import dev.forge.economy.work.LiveChecks;
import dev.forge.economy.work.Reexecution;
import dev.forge.economy.work.Verification;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's live checks (docs/verification.md): the {@link ChainBook} rebuilt at start from
 * the ledger's settled work, every paid delivery checked into it on arrival, and a round of
 * {@link LiveChecks} every period on a thread of its own. Each provider is asked at the
 * {@code bodies_url} it registered: its bodies ({@link HttpBodies}) and its log ({@link HttpLogProofs}).
 */
final class LiveVerification implements AutoCloseable {
    private final ChainBook book;
    private final LiveChecks live;
    private final Map<String, Long> orderIds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rounds;

    /** @param own the node's own log: the chats it fulfilled are checked from it, like any provider's chains from theirs */
    LiveVerification(ChainBook book, WorkStore store, NodeLog own, Reexecution reexecution, long periodMillis,
                     InstantSource clock) {
        this.book = book;
        var sources = new LiveChecks.Sources(
                provider -> provider.equals(own.provider()) ? own : new HttpBodies(bodiesUrl(store, provider)),
                new OwnLogFirst(own, new HttpLogProofs(provider -> bodiesUrl(store, provider))), reexecution,
                provider -> provider.equals(own.provider()) ? own.key() : key(store, provider));
        var schedule = new LiveChecks.Schedule(periodMillis, LiveChecks.Schedule.DEFAULT.samplePerProvider(),
                LiveChecks.Schedule.DEFAULT.halfLifeMillis(), LiveChecks.Schedule.DEFAULT.reexecutePerMille());
        this.live = new LiveChecks(book, sources, schedule, clock, new SecureRandom());
        this.rounds = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "forge-live-checks");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** The node's own log for its own account, every other provider's from its server. */
    private record OwnLogFirst(NodeLog own, LogProofs others) implements LogProofs {
        @Override
        public Optional<TreeHead> latestHead(String provider) throws Bodies.Unreachable {
            return provider.equals(own.provider()) ? own.latestHead(provider) : others.latestHead(provider);
        }

        @Override
        public Optional<InclusionProof> inclusion(String provider, long index, long treeSize) throws Bodies.Unreachable {
            return provider.equals(own.provider()) ? own.inclusion(provider, index, treeSize)
                    : others.inclusion(provider, index, treeSize);
        }

        @Override
        public Optional<ConsistencyProof> consistency(String provider, long oldSize, long newSize) throws Bodies.Unreachable {
            return provider.equals(own.provider()) ? own.consistency(provider, oldSize, newSize)
                    : others.consistency(provider, oldSize, newSize);
        }
    }

    private static String bodiesUrl(WorkStore store, String provider) {
        return store.agentOfAccount(provider).flatMap(store::key).map(RegisteredKey::bodiesUrl).orElse("");
    }

    private static Ed25519.PublicKey key(WorkStore store, String provider) {
        return store.agentOfAccount(provider).flatMap(store::key).map(k -> Ed25519.PublicKey.decode(k.publicKey())).orElse(null);
    }

    /**
     * Every chain the ledger paid for work done for this node ({@code audience}), unchecked until
     * its first check after this start; then the rounds begin. Work this node bought from another
     * grid node is left out: it is a step of that node's chain, checked by every node applying
     * its log (docs/grid.md), and its provider account's name means nothing here.
     */
    void start(Ledger ledger, long periodMillis, String audience) {
        for (long id = 1; id <= ledger.logSize(); id++) {
            ledger.settledWork(id).filter(work -> work.order().order().audience().equals(audience)).ifPresent(this::add);
        }
        // A round is due once per period; asking a little more often keeps the period, not more.
        long tick = Math.max(250, periodMillis / 4);
        rounds.scheduleWithFixedDelay(this::roundQuietly, tick, tick, TimeUnit.MILLISECONDS);
    }

    private Chain add(SettledWork work) {
        Chain chain = new Chain(work.order(), work.attestation(), work.paid(), work.settledAt());
        book.add(chain);
        orderIds.put(key(chain.provider(), chain.logIndex()), work.orderId());
        return chain;
    }

    /** A delivery the ledger just paid, checked now: its record checks with availability and the log. */
    void arrive(SettledWork work, Verification recordChecks) {
        try {
            Chain chain = new Chain(work.order(), work.attestation(), work.paid(), work.settledAt());
            orderIds.put(key(chain.provider(), chain.logIndex()), work.orderId());
            live.arrive(chain, recordChecks);
        } catch (RuntimeException e) {
            // Paid is paid: a check that breaks must not undo the delivery; the next round checks it again.
            System.err.println("forge: the arrival check of order " + work.orderId() + " failed: " + e);
        }
    }

    private void roundQuietly() {
        try {
            live.runDue();
        } catch (RuntimeException e) {
            System.err.println("forge: a live verification round failed: " + e);
        }
    }

    /** Checks one chain now (for an export's verdict). */
    Optional<LiveChecks.Result> recheck(String provider, long logIndex) {
        return recheck(provider, logIndex, false);
    }

    /** Checks one chain now, and re-executes it when asked, as a round does when it draws re-execution. */
    Optional<LiveChecks.Result> recheck(String provider, long logIndex, boolean reexecute) {
        return book.chains(provider).stream().filter(c -> c.logIndex() == logIndex).findFirst()
                .map(chain -> live.recheck(chain, reexecute));
    }

    ChainBook book() {
        return book;
    }

    long orderId(String provider, long logIndex) {
        return orderIds.getOrDefault(key(provider, logIndex), -1L);
    }

    private static String key(String provider, long logIndex) {
        return provider + "/" + logIndex;
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }
}
