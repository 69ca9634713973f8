/**
 * An RFC 6962 Merkle log over settled trades: the root any node holding the same trades
 * computes, and inclusion proofs a client can check with nothing but the root.
 */
package dev.forge.economy.merkle;
