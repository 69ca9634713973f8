package dev.forge.agent;

/**
 * Bounded exponential waits: {@code first}, doubling up to {@code longest}, at most {@code waits}
 * of them before the agent gives up; any progress starts it over. The agent never spins and
 * never waits for ever.
 */
public final class Backoff {
    private final long first;
    private final long longest;
    private final int waits;
    private int used;
    private long next;

    public Backoff(long firstMillis, long longestMillis, int waits) {
        if (firstMillis < 1 || longestMillis < firstMillis || waits < 1) throw new IllegalArgumentException("backoff out of range");
        this.first = firstMillis;
        this.longest = longestMillis;
        this.waits = waits;
        this.next = firstMillis;
    }

    /** The next pause in ms, or -1 once every wait is used. */
    public long next() {
        if (used >= waits) return -1;
        used++;
        long pause = next;
        next = Math.min(longest, next * 2);
        return pause;
    }

    public void reset() {
        used = 0;
        next = first;
    }

    public int used() {
        return used;
    }
}
