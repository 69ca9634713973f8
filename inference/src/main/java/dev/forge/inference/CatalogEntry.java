package dev.forge.inference;

/**
 * A model Forge knows how to fetch: a short name, where it comes from, and what to expect.
 *
 * @param source the HuggingFace repository, {@code owner/name}
 * @param architecture jlama's model type (llama, qwen2, mistral)
 * @param parameters the parameter count, from the model card
 * @param chatTemplate what its chat template does under jlama, tools included
 */
public record CatalogEntry(String name, String source, String architecture, long parameters, String license,
                           String chatTemplate) {
    public Tier tier() {
        return Tier.forParameters(parameters);
    }

    /** The folder name under the model store, as jlama's downloader names it. */
    public String folderName() {
        return source.replace('/', '_');
    }
}
