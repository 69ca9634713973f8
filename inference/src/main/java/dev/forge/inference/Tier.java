package dev.forge.inference;

/**
 * A model's price class, from its size: a bigger model costs more per token. A node's
 * operator may move the bounds (the tests do, to give their tiny generated models two tiers).
 */
public enum Tier {
    /** Below the small bound: toy and test models. */
    TINY,
    /** From 100 million parameters by default. */
    SMALL,
    /** Above 1 billion by default. */
    MEDIUM,
    /** Above 4 billion by default. */
    LARGE;

    /** Where each tier starts, in parameters: a model with more than {@code small} is at least SMALL. */
    public record Bounds(long small, long medium, long large) {
        public static final Bounds DEFAULT = new Bounds(100_000_000L, 1_000_000_000L, 4_000_000_000L);

        public Bounds {
            if (small <= 0 || medium <= small || large <= medium) {
                throw new IllegalArgumentException("tier bounds must rise: small < medium < large, all above 0");
            }
        }

        public Tier tierOf(long parameters) {
            if (parameters > large) return LARGE;
            if (parameters > medium) return MEDIUM;
            if (parameters >= small) return SMALL;
            return TINY;
        }
    }

    public static Tier forParameters(long parameters) {
        return Bounds.DEFAULT.tierOf(parameters);
    }
}
