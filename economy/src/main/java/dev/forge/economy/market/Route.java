package dev.forge.economy.market;

import java.util.List;

/**
 * The chosen offer for a request, every candidate with its score, and why.
 *
 * @param candidates best first; those left out carry the reason in {@code excluded}
 */
public record Route(String model, RouteMode mode, Candidate chosen, List<Candidate> candidates, String reason) {
    /**
     * @param maxCost what the request costs at most at this price (prompt plus max tokens), µCU
     * @param scorePpm the mode's score, 1,000,000 at best
     * @param excluded why it was left out, or null
     */
    public record Candidate(String provider, long pricePerKiloToken, long maxCost, int reputation, long loadPpm,
                            long scorePpm, String excluded) {
    }
}
