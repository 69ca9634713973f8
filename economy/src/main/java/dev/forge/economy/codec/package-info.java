/**
 * Canonical bytes: one encoding per value, so that what is signed, hashed and journaled is
 * exactly reproducible. Hand-written rather than JSON because a signature must cover one byte
 * string, not one of many equivalent texts.
 */
package dev.forge.economy.codec;
