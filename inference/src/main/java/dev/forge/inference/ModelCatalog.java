package dev.forge.inference;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The models Forge can download by short name. It lists only models whose shapes jlama 0.8.4
 * runs, in jlama's own Q4 format (published by jlama's author), so a download is ready to load.
 */
public final class ModelCatalog {
    private final List<CatalogEntry> entries;

    private ModelCatalog(List<CatalogEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The catalog shipped with Forge. */
    public static ModelCatalog builtIn() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("catalog.json")) {
            return new ModelCatalog(new ObjectMapper().readValue(in, new TypeReference<List<CatalogEntry>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("Forge's model catalog is unreadable", e);
        }
    }

    /** A catalog of one's own (an operator's mirror, or tests). */
    public static ModelCatalog of(List<CatalogEntry> entries) {
        return new ModelCatalog(entries);
    }

    public List<CatalogEntry> entries() {
        return entries;
    }

    public Optional<CatalogEntry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
