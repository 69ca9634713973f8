/**
 * {@code forge provide}: a provider as its own process. It keeps its own Ed25519 key and its
 * log of signed attestations in its folder, serves the bodies it ran over HTTP, and talks to a
 * node only over MCP with its agent's bearer token: it registers its public key, offers its
 * model, takes open orders, runs them with jlama on this machine, and delivers the output with
 * an attestation it signed. The node never sees the private key. See {@code docs/provider.md}.
 */
package dev.forge.node.provide;
