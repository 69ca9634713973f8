/**
 * The work market's records and their verification: a buyer's work order, a provider's
 * attestation (the invoice), the provider's hash chain and signed tree heads, and the checks.
 *
 * <p>Checks come in two kinds. Those that need only the bytes ({@link dev.forge.economy.work.WorkVerifier})
 * run once, on arrival, in the ledger's settle: the bytes never change. Those that ask the world
 * ({@link dev.forge.economy.work.ChainChecks}: are the bodies still served, does the provider's log
 * still prove the attestation, does a re-run give the same output) run on arrival and again on a
 * schedule ({@link dev.forge.economy.work.LiveChecks}), and a provider's reputation is what they
 * find now ({@link dev.forge.economy.work.ChainBook#rate}). The world is reached only through
 * interfaces the node fills ({@link dev.forge.economy.work.Bodies}, {@link dev.forge.economy.work.LogProofs},
 * {@link dev.forge.economy.work.Reexecution}), so this package stays plain Java with no network code.
 * The rules are in docs/ledger.md and docs/verification.md.
 */
package dev.forge.economy.work;
