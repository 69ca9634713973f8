/** Ed25519 (BouncyCastle) and SHA-256: the only two primitives Forge signs and hashes with. */
package dev.forge.economy.crypto;
