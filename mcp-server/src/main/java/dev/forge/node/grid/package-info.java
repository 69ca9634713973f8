/**
 * The node on the grid (docs/grid.md): {@code forge node --grid nats://...} connects to NATS,
 * keeps the node's signed offer in the offer bucket, publishes the node's ledger log (its
 * settled trades and settled work; the ledger stays the authority), and follows the stream into
 * its own {@code grid/grid.db}, applying each entry once after it verified. The market's
 * providers and route tools then list the other nodes' live offers, and network shows the grid
 * root. Everything here wires the {@code grid} module into the node; the rules live there.
 */
package dev.forge.node.grid;
