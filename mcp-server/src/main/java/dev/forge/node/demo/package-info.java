/**
 * {@code forge demo}: Forge's main demo. It starts a node as its own process in a temporary folder
 * with two real model tiers (the trained stories260K and a bigger model Forge generates), creates
 * agents of different means through the operator's API, runs them (agent-runtime, reaching the
 * node only over MCP with their own tokens and keys) for a number of rounds, and reports what the
 * node's own answers say each one earned, spent, borrowed and repaid, the ledger's Merkle root,
 * and an SVG chart of balances and loans per round.
 */
package dev.forge.node.demo;
