package dev.forge.economy.work;

import dev.forge.economy.crypto.Ed25519;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks chains on arrival and again later, on a schedule: every interval, for each provider, a
 * sample of its chains drawn with weights that favour recent and valuable ones (an old cheap
 * chain is still drawn now and then), each re-checked for availability and its log, and some
 * re-executed. Results go to the {@link ChainBook}, so a chain that fails now counts as failing
 * now. Pure logic over an {@link InstantSource} and a seeded {@link Random}: the same seed, clock
 * and answers give the same checks. The node calls {@link #runDue()} from its own timer.
 * Thread-safe: the draw and the schedule are under this object's lock, the standings in the book.
 */
public final class LiveChecks {
    /**
     * @param intervalMillis time between two rounds
     * @param samplePerProvider chains re-checked per provider per round, 1 to {@value #MAX_SAMPLE}
     * @param halfLifeMillis a chain this much older weighs half as much, down to 1/65,536
     * @param reexecutePerMille the share of checked chains also re-executed, in thousandths
     */
    public record Schedule(long intervalMillis, int samplePerProvider, long halfLifeMillis, int reexecutePerMille) {
        public static final int MAX_SAMPLE = 64;
        public static final Schedule DEFAULT = new Schedule(10 * 60_000L, 8, 24 * 3_600_000L, 100);

        public Schedule {
            WorkException.require(intervalMillis >= 1_000 && halfLifeMillis >= 1_000, "interval and half-life of at least 1 s");
            WorkException.require(samplePerProvider >= 1 && samplePerProvider <= MAX_SAMPLE, "sample 1 to " + MAX_SAMPLE);
            WorkException.require(reexecutePerMille >= 0 && reexecutePerMille <= 1000, "re-execution share 0 to 1000 per mille");
        }
    }

    /**
     * What the checks ask, filled by the node.
     *
     * @param bodies where each provider's bodies are fetched, by provider account
     * @param reexecution runs orders on this machine, or null when it runs none
     * @param keys each provider's registered key, or null when it has none
     */
    public record Sources(Function<String, Bodies> bodies, LogProofs proofs, Reexecution reexecution,
                          Function<String, Ed25519.PublicKey> keys) {
        public Sources {
            WorkException.require(bodies != null && proofs != null && keys != null, "bodies, proofs and keys are required");
        }
    }

    /** One chain checked, and how it stands after. */
    public record Result(Chain chain, Verification verification, ChainBook.Standing standing) {
    }

    private static final int MAX_RECENCY_SHIFT = 16;

    private final ChainBook book;
    private final Sources sources;
    private final Schedule schedule;
    private final InstantSource clock;
    private final Random random;
    private long nextRunAt;

    public LiveChecks(ChainBook book, Sources sources, Schedule schedule, InstantSource clock, Random random) {
        this.book = book;
        this.sources = sources;
        this.schedule = schedule;
        this.clock = clock;
        this.random = random;
        this.nextRunAt = clock.millis() + schedule.intervalMillis();
    }

    /**
     * A chain just paid: added to the book and checked now, its record checks (signatures,
     * binding, chain, as the ledger ran them) together with the live ones.
     */
    public Result arrive(Chain chain, Verification recordChecks) {
        book.add(chain);
        return check(chain, recordChecks.checks(), sampleReexecution());
    }

    public synchronized boolean due() {
        return clock.millis() >= nextRunAt;
    }

    /**
     * Runs a round if one is due: a sample of every provider's chains. Empty when not due. The
     * draw is made under the lock; the checks, which wait on providers, run outside it, so a
     * delivery's arrival check never waits for a round.
     */
    public List<Result> runDue() {
        List<Chain> picked = new ArrayList<>();
        List<Boolean> reexecute = new ArrayList<>();
        synchronized (this) {
            if (!due()) return List.of();
            nextRunAt = clock.millis() + schedule.intervalMillis();
            for (String provider : book.providers().stream().sorted().toList()) {
                for (Chain chain : sample(provider, schedule.samplePerProvider())) {
                    picked.add(chain);
                    reexecute.add(sampleReexecution());
                }
            }
        }
        List<Result> results = new ArrayList<>(picked.size());
        for (int i = 0; i < picked.size(); i++) results.add(check(picked.get(i), List.of(), reexecute.get(i)));
        return results;
    }

    /** Re-checks one chain now (an auditor's request, or a test), re-executing it when asked and possible. */
    public Result recheck(Chain chain, boolean reexecute) {
        return check(chain, List.of(), reexecute);
    }

    /** Draws up to {@code count} distinct chains, each with probability proportional to {@link #weight}. */
    public synchronized List<Chain> sample(String provider, int count) {
        List<Chain> chains = book.chains(provider);
        long now = clock.millis();
        long[] weights = new long[chains.size()];
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weight(chains.get(i), now, schedule.halfLifeMillis());
            total += weights[i];
        }
        List<Chain> picked = new ArrayList<>();
        while (picked.size() < count && total > 0) {
            long ticket = random.nextLong(total);
            int i = 0;
            while (ticket >= weights[i]) ticket -= weights[i++];
            picked.add(chains.get(i));
            total -= weights[i];
            weights[i] = 0;
        }
        return picked;
    }

    /**
     * A chain's draw weight: (1 + bit length of its value in µCU) × 2^(16 − halvings of its age),
     * halvings capped at 16. Value counts by order of magnitude, so many small chains are not
     * crowded out by one large one; recency halves with each half-life.
     */
    public static long weight(Chain chain, long now, long halfLifeMillis) {
        long age = Math.max(0, now - chain.settledAt());
        long halvings = Math.min(MAX_RECENCY_SHIFT, age / halfLifeMillis);
        long valuePart = 1 + (64 - Long.numberOfLeadingZeros(chain.value()));
        return valuePart << (MAX_RECENCY_SHIFT - halvings);
    }

    private synchronized boolean sampleReexecution() {
        return sources.reexecution() != null && random.nextInt(1000) < schedule.reexecutePerMille();
    }

    private Result check(Chain chain, List<Check> recordChecks, boolean reexecute) {
        Attestation a = chain.attestation().attestation();
        List<Check> checks = new ArrayList<>(recordChecks);
        Bodies bodies = sources.bodies().apply(chain.provider());
        var availability = ChainChecks.availability(chain.order(), a, bodies);
        checks.addAll(availability.checks());
        var log = ChainChecks.log(chain.attestation(), sources.keys().apply(chain.provider()), sources.proofs(),
                book.head(chain.provider()).orElse(null), book.previousDigest(chain.provider(), chain.logIndex()));
        checks.addAll(log.checks());
        if (log.head() != null) book.acceptHead(log.head());
        if (reexecute && sources.reexecution() != null) {
            checks.add(ChainChecks.reexecution(chain.order().order(), a, availability.input(), sources.reexecution()));
        }
        var verification = new Verification(checks);
        return new Result(chain, verification, book.record(chain, verification, clock.millis()));
    }
}
