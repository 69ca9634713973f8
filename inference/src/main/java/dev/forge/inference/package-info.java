/**
 * Local inference with jlama: model folders, tiers, and a decode loop of Forge's own that
 * streams, meters tokens exactly, stops between tokens when cancelled, and cleans up the
 * KV-cache files jlama leaves behind. One generation per model at a time, behind a fair,
 * bounded queue. jlama's limits are in ../shared/notes/jlama.md.
 */
package dev.forge.inference;
