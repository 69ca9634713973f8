package dev.forge.inference;

/**
 * A model's price class, from its size: a bigger model costs more per token.
 * The bounds are parameter counts.
 */
public enum Tier {
    /** Below 100 million parameters: toy and test models. */
    TINY(0),
    /** Up to 1 billion. */
    SMALL(100_000_000L),
    /** Up to 4 billion. */
    MEDIUM(1_000_000_000L),
    /** Above 4 billion. */
    LARGE(4_000_000_000L);

    private final long from;

    Tier(long from) {
        this.from = from;
    }

    public static Tier forParameters(long parameters) {
        Tier tier = TINY;
        for (Tier candidate : values()) {
            if (parameters > candidate.from || candidate.from == 0) tier = candidate;
        }
        return tier;
    }
}
