/**
 * The grid: many Forge nodes, each with its own operator and ledger, over NATS JetStream.
 *
 * <p>A node publishes two things. Its signed offer ({@link GridOffer}) lives in a JetStream
 * key-value bucket with a TTL, refreshed while the node lives, so a dead node's offer is gone
 * soon after. Its settled trades and work ({@link GridEntry}), each signed and chained into the
 * node's own append-only log, go to a stream with one subject per node. Every node runs a
 * {@link GridApplier} that verifies each entry before applying it once, persists where it is
 * in a MapDB file and derives the same {@link GridRoot} as every other node. The node's own
 * ledger stays the authority for what it signed: JetStream only carries and replays.
 * See {@code docs/grid.md}.
 */
package dev.forge.grid;
