/**
 * Work orders on the node: buyers post orders (signed by their own key or, in custody, by the
 * node), providers that registered their own Ed25519 key take them, run them on their own
 * machines and deliver the output with a signed attestation, and the ledger pays only what a
 * verified attestation states. {@link dev.forge.node.work.WorkService} owns every rule; the MCP
 * tools and the REST resource are thin adapters over it. The contract is {@code docs/work.md}.
 * {@link dev.forge.node.work.LiveVerification} checks every paid chain again, live, against what
 * its provider serves now ({@code HttpBodies}, {@code HttpLogProofs}) and, sampled, by a replay on
 * the node's engine ({@link dev.forge.node.work.NodeReexecution}): the rates the market routes by
 * ({@code docs/verification.md}).
 */
package dev.forge.node.work;
