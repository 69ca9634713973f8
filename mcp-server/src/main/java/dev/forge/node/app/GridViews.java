package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.market.ProviderFilter;
import java.util.List;
import java.util.Optional;

/**
 * The grid as this node's tools show it (docs/grid.md): other nodes' live, verified offers and
 * what this node applied of the grid's stream. A node started without {@code --grid} is
 * {@link #ALONE}: no offers, no status.
 */
public final class GridViews {
    private GridViews() {}

    /** What the node knows of the grid now. */
    public interface Source {
        /**
         * Every live, verified offer of another node, by node id: of {@code model} only unless null,
         * and only nodes whose rate (as this node measured it) passes {@code filter}.
         */
        List<RemoteOffer> offers(String model, ProviderFilter filter);

        /** Empty when the node is not on a grid. */
        Optional<GridStatus> status();
    }

    public static final Source ALONE = new Source() {
        @Override
        public List<RemoteOffer> offers(String model, ProviderFilter filter) {
            return List.of();
        }

        @Override
        public Optional<GridStatus> status() {
            return Optional.empty();
        }
    };

    public record RemoteOffer(
            @JsonPropertyDescription("always true: the model is served by another node of the grid") boolean remote,
            @JsonPropertyDescription("the node that serves it (node- and 40 hex digits, named by its key)") String node,
            @JsonPropertyDescription("where that node serves (its MCP or HTTP address), as its signed offer says") String endpoint,
            @JsonPropertyDescription("the provider account on that node") String provider,
            @JsonPropertyDescription("the model") String model,
            @JsonPropertyDescription("the model folder's RFC 6962 root, hex") String modelDigest,
            @JsonPropertyDescription("its tier") String tier,
            @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("its price per 1,000 tokens when the offer was signed")
            Amount pricePerKiloTokenCu,
            @JsonPropertyDescription("capacity offered") long capacityTokensPerMinute,
            @JsonPropertyDescription("requests that node serves at once") int capacity,
            @JsonPropertyDescription("the node's verification rate as this node measured it, the prior of 50% included, "
                    + "lowered by refused grid entries its own key signed and 0 once it signed two entries for one index "
                    + "(docs/grid.md): "
                    + "a decimal string \"0\" to \"1\"") String verificationRate,
            @JsonPropertyDescription("what the rate rests on; \"no chains checked yet\" means the prior alone, "
                    + "\"unverifiable\" that it equivocated") String verification,
            @JsonPropertyDescription("when the signed offer expires unless its node renews it, ms since the epoch") long expiresAt) {
    }

    public record Peer(
            @JsonPropertyDescription("a node whose log this node applied, or whose offer is live") String node,
            @JsonPropertyDescription("entries of its log applied here") long entries,
            @JsonPropertyDescription("hex root of its log as applied here (empty when none)") String root,
            @JsonPropertyDescription("false once it was caught signing two entries for one index") boolean verifiable,
            @JsonPropertyDescription("whether its signed offer is live now") boolean offerLive,
            @JsonPropertyDescription("what this node owes it, as this node's log records (its peer: account credited); "
                    + "0 for this node itself") Amount owesCu,
            @JsonPropertyDescription("what it owes this node, as this node's log records (its peer: account debited)")
            Amount owedCu,
            @JsonPropertyDescription("what this node owes it, as its own log records") Amount peerSaysOwesCu,
            @JsonPropertyDescription("what it owes this node, as its own log records") Amount peerSaysOwedCu,
            @JsonPropertyDescription("owes minus owed as this node's log records: positive this node owes, negative it is owed")
            SignedAmount netCu,
            @JsonPropertyDescription("whether both logs record the same sums between the two nodes; false is a disagreement "
                    + "(a trade one side lacks), to settle with GET /v1/forge/grid/statement") boolean agree) {
    }

    public record RefusalCount(
            @JsonPropertyDescription("the refusal code (docs/grid.md)") String code,
            @JsonPropertyDescription("stream messages refused with it") long count) {
    }

    public record GridStatus(
            @JsonPropertyDescription("this node's id on the grid") String nodeId,
            @JsonPropertyDescription("whether the node is connected to a NATS server of the grid now") boolean connected,
            @JsonPropertyDescription("hex RFC 6962 root over every node's applied log head: equal on every node that "
                    + "applied the same entries") String gridRoot,
            @JsonPropertyDescription("every node seen, this one included, by id") List<Peer> peers,
            @JsonPropertyDescription("the last stream sequence this node handled (stored, so a restart resumes after it)")
            long appliedSequence,
            @JsonPropertyDescription("entries applied, over every node's log") long appliedEntries,
            @JsonPropertyDescription("entries of this node's own log the stream acknowledged") long publishedEntries,
            @JsonPropertyDescription("live, verified offers of other nodes") int liveOffers,
            @JsonPropertyDescription("stream messages refused, by code") List<RefusalCount> refusals) {
    }
}
