/**
 * The safety pipeline every spend passes: kill switch, budget, velocity, circuit breaker,
 * human approval, in that order, failing safe. It reserves budget and holds the money in the
 * ledger in the same decision, which is what makes its limits hold under any concurrency.
 * The rules are in docs/safety.md.
 */
package dev.forge.policies;
