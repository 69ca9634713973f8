package dev.forge.grid;

/** The NATS subjects of remote work: a node serves the vouches sent to its own subject. */
public final class RemoteWork {
    public static final String SUBJECT_PREFIX = "forge.grid.work.";

    private RemoteWork() {}

    /** Where vouches for {@code providerNodeId} are sent; the answer's frames go to the vouch's reply inbox. */
    public static String subject(String providerNodeId) {
        return SUBJECT_PREFIX + providerNodeId;
    }

    /** Where the home node sends its signed {@link WorkCancel} for an order {@code providerNodeId} runs. */
    public static String cancelSubject(String providerNodeId) {
        return subject(providerNodeId) + ".cancel";
    }
}
