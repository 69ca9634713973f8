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
        /** The system property that moves a process's default bounds: {@code SMALL,MEDIUM,LARGE} in parameters. */
        public static final String PROPERTY = "forge.tier-bounds";
        /**
         * 100 million, 1 billion and 4 billion parameters, unless {@value #PROPERTY} says otherwise: a
         * provider process has no node settings, so separate processes (the agent tests, the demo)
         * give their tiny models two tiers this way.
         */
        public static final Bounds DEFAULT = parse(System.getProperty(PROPERTY, "100000000,1000000000,4000000000"));

        public Bounds {
            if (small <= 0 || medium <= small || large <= medium) {
                throw new IllegalArgumentException("tier bounds must rise: small < medium < large, all above 0");
            }
        }

        /** Three rising whole numbers separated by commas, e.g. {@code 500000,700000,900000}. */
        public static Bounds parse(String text) {
            String[] parts = text.strip().split(",", -1);
            if (parts.length != 3) throw new IllegalArgumentException(PROPERTY + " is SMALL,MEDIUM,LARGE, not '" + text + "'");
            long[] bounds = new long[3];
            for (int i = 0; i < 3; i++) {
                if (!parts[i].strip().matches("[0-9]{1,18}")) {
                    throw new IllegalArgumentException(PROPERTY + ": '" + parts[i] + "' is not a whole number of parameters");
                }
                bounds[i] = Long.parseLong(parts[i].strip());
            }
            return new Bounds(bounds[0], bounds[1], bounds[2]);
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
