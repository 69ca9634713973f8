package dev.forge.economy.work;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a verifier knows of each provider's chains: every chain it paid, how each stood at its
 * last check, the last signed head it accepted, and the last failures with their reasons. A
 * provider's {@link #rate} is a fold over the standings now, so a chain that fails now counts
 * as failing now, whatever it did before. Thread-safe: deliveries and the live schedule share it.
 */
public final class ChainBook {
    /** Checks in a row without an answer after which a chain counts as failing: silence is not a pass. */
    public static final int MAX_UNREACHABLE = 3;
    /** Failures kept per provider for {@code verify}; older ones are dropped, their chains still count. */
    public static final int MAX_FAILURES_KEPT = 20;

    /** What one check of a chain comes to. */
    public enum Outcome { PASS, FAIL, UNREACHABLE }

    /**
     * How a chain stands now.
     *
     * @param verdict PASS or FAIL once a check was conclusive; INCONCLUSIVE before that
     * @param unreachable unanswered checks in a row
     * @param failure the failed check that made it FAIL, or null
     */
    public record Standing(Check.Verdict verdict, long checkedAt, int unreachable, Check failure) {
        static final Standing UNCHECKED = new Standing(Check.Verdict.INCONCLUSIVE, 0, 0, null);
    }

    /** A failed chain as {@code verify} lists it. */
    public record Failure(String provider, long logIndex, long orderValue, Check check, long at) {
    }

    private static final class Entry {
        final Chain chain;
        Standing standing = Standing.UNCHECKED;

        Entry(Chain chain) {
            this.chain = chain;
        }
    }

    private static final class Provider {
        final TreeMap<Long, Entry> chains = new TreeMap<>();
        final Deque<Failure> failures = new ArrayDeque<>();
        TreeHead head;
    }

    private final Map<String, Provider> providers = new HashMap<>();

    /** Adds a chain that was delivered and paid. The same chain again changes nothing; another at its index is refused. */
    public synchronized void add(Chain chain) {
        Provider p = providers.computeIfAbsent(chain.provider(), k -> new Provider());
        Entry existing = p.chains.get(chain.logIndex());
        if (existing != null) {
            WorkException.require(Arrays.equals(existing.chain.attestation().digest(), chain.attestation().digest()),
                    chain.provider() + " already has another attestation at log index " + chain.logIndex());
            return;
        }
        p.chains.put(chain.logIndex(), new Entry(chain));
    }

    /** Records a check of a chain added before; returns how it stands now. */
    public synchronized Standing record(Chain chain, Verification verification, long now) {
        Provider p = providers.get(chain.provider());
        Entry entry = p == null ? null : p.chains.get(chain.logIndex());
        WorkException.require(entry != null && entry.chain.equals(chain), "record a check only of a chain that was added");
        Standing before = entry.standing;
        Standing after = switch (outcome(verification)) {
            case PASS -> new Standing(Check.Verdict.PASS, now, 0, null);
            case FAIL -> new Standing(Check.Verdict.FAIL, now, 0, verification.firstFailure().orElseThrow());
            case UNREACHABLE -> before.unreachable() + 1 >= MAX_UNREACHABLE
                    ? new Standing(Check.Verdict.FAIL, now, before.unreachable() + 1, Check.fail("availability", "unreachable",
                            "no answer from the provider in " + MAX_UNREACHABLE + " checks in a row"))
                    : new Standing(before.verdict(), now, before.unreachable() + 1, before.failure());
        };
        entry.standing = after;
        if (after.verdict() == Check.Verdict.FAIL && after.failure() != null) {
            p.failures.addFirst(new Failure(chain.provider(), chain.logIndex(), chain.value(), after.failure(), now));
            while (p.failures.size() > MAX_FAILURES_KEPT) p.failures.removeLast();
        }
        return after;
    }

    /**
     * FAIL when any check failed; UNREACHABLE when none failed but a source gave no answer;
     * PASS otherwise. A re-execution that proves nothing (another kernel path, no model here)
     * and a head that does not yet cover the chain do not stop a pass: they show no fault.
     */
    public static Outcome outcome(Verification verification) {
        if (!verification.verified()) return Outcome.FAIL;
        boolean silent = verification.checks().stream().anyMatch(c -> c.verdict() == Check.Verdict.INCONCLUSIVE
                && (c.code().equals("bodies_unreachable") || c.code().equals("log_unreachable")));
        return silent ? Outcome.UNREACHABLE : Outcome.PASS;
    }

    /**
     * The provider's rate now: over its chains with a conclusive standing, weighted by what each
     * was paid (at least 1 µCU, so free work counts a little); completed is every chain paid.
     */
    public synchronized VerificationRate rate(String provider) {
        Provider p = providers.get(provider);
        if (p == null) return VerificationRate.none();
        long chains = 0, verifying = 0, value = 0, verifyingValue = 0;
        for (Entry e : p.chains.values()) {
            if (e.standing.verdict() == Check.Verdict.INCONCLUSIVE) continue;
            long weight = Math.max(1, e.chain.value());
            chains++;
            value = Math.addExact(value, weight);
            if (e.standing.verdict() == Check.Verdict.PASS) {
                verifying++;
                verifyingValue = Math.addExact(verifyingValue, weight);
            }
        }
        return new VerificationRate(chains, verifying, value, verifyingValue, p.chains.size());
    }

    public synchronized Standing standing(String provider, long logIndex) {
        Provider p = providers.get(provider);
        Entry e = p == null ? null : p.chains.get(logIndex);
        return e == null ? Standing.UNCHECKED : e.standing;
    }

    /** The last failures, newest first. */
    public synchronized List<Failure> failures(String provider) {
        Provider p = providers.get(provider);
        return p == null ? List.of() : List.copyOf(p.failures);
    }

    public synchronized List<Chain> chains(String provider) {
        Provider p = providers.get(provider);
        return p == null ? List.of() : p.chains.values().stream().map(e -> e.chain).toList();
    }

    public synchronized Set<String> providers() {
        return Set.copyOf(providers.keySet());
    }

    /** The last head of this provider the checks accepted. */
    public synchronized Optional<TreeHead> head(String provider) {
        Provider p = providers.get(provider);
        return Optional.ofNullable(p == null ? null : p.head);
    }

    /** Keeps a head the log checks accepted, when it is at least as large as the one kept. */
    public synchronized void acceptHead(TreeHead head) {
        Provider p = providers.computeIfAbsent(head.provider(), k -> new Provider());
        if (p.head == null || head.size() >= p.head.size()) p.head = head;
    }

    /** The digest the attestation at {@code logIndex} must name as previous: zeros at 0, null when unseen. */
    public synchronized byte[] previousDigest(String provider, long logIndex) {
        if (logIndex == 0) return Attestation.noPrevious();
        Provider p = providers.get(provider);
        Entry e = p == null ? null : p.chains.get(logIndex - 1);
        return e == null ? null : e.chain.attestation().digest();
    }
}
