/**
 * The ledger: every CU in Forge lives here, and nothing else may change a balance.
 *
 * <p>Work orders settle here too: an accepted order is a hold, and only a verified attestation
 * ({@link dev.forge.economy.work.WorkVerifier}) posts it; trades and settled work share one
 * Merkle log.
 *
 * <p>It is event-sourced: the MapDB journal holds the commands one writer thread accepted,
 * one record per group commit; balances, indexes and the Merkle tree are derived from it in
 * memory and rebuilt, re-checking every rule and signature, when the ledger opens. This is
 * what makes thousands of durable trades per second possible on MapDB (one put per group,
 * not several per trade) and what lets a corrupt file be refused instead of served.
 * The rules are in docs/ledger.md.
 */
package dev.forge.economy.ledger;
