package dev.forge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tjake.jlama.model.ModelSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalog, and how a model name becomes a loadable folder (offline: from a local mirror). */
class ModelStoreTest {
    static final CatalogEntry TINY = new CatalogEntry("tiny:small", "forge-test/tiny-small", "llama",
            TinyLlama.parameters(TinyLlama.SMALL), "apache-2.0", "Forge's test template with tools");

    @Test
    void theCatalogListsOnlyShapesJlamaRunsWithConsistentTiers() {
        List<CatalogEntry> entries = ModelCatalog.builtIn().entries();
        assertTrue(entries.size() >= 5);
        assertEquals(entries.size(), entries.stream().map(CatalogEntry::name).distinct().count(), "names are unique");
        for (CatalogEntry e : entries) {
            ModelSupport.ModelType.valueOf(e.architecture().toUpperCase(Locale.ROOT)); // jlama knows the architecture
            assertTrue(e.source().matches("[\\w.-]+/[\\w.-]+"), e.source());
            assertTrue(e.parameters() > 0 && !e.license().isBlank() && !e.chatTemplate().isBlank(), e.name());
            assertEquals(Tier.forParameters(e.parameters()), e.tier());
        }
        Set<Tier> tiers = entries.stream().map(CatalogEntry::tier).collect(Collectors.toSet());
        assertEquals(Set.of(Tier.SMALL, Tier.MEDIUM, Tier.LARGE), tiers, "a model for every paid tier");
        assertEquals("tjake/Llama-3.2-1B-Instruct-JQ4", ModelCatalog.builtIn().find("llama3.2:1b").orElseThrow().source());
    }

    @Test
    void aCatalogNameIsFetchedOnceThenFoundInTheStore() throws Exception {
        Path mirror = Files.createTempDirectory("forge-mirror");
        TinyLlama.write(TinyLlama.SMALL, mirror.resolve(TINY.folderName()));
        Path root = Files.createTempDirectory("forge-models");
        var store = new ModelStore(root, ModelCatalog.of(List.of(TINY)), ModelSource.mirror(mirror));
        List<String> progress = new ArrayList<>();

        assertFalse(store.installed(TINY));
        Path folder = store.resolve("tiny:small", (file, done, total) -> progress.add(file));
        assertEquals(root.resolve("forge-test_tiny-small"), folder);
        assertTrue(store.installed(TINY));
        assertTrue(progress.containsAll(List.of("config.json", "model.safetensors", "tokenizer.json")), progress.toString());

        progress.clear();
        assertEquals(folder, store.resolve("tiny:small", (file, done, total) -> progress.add(file)));
        assertTrue(progress.isEmpty(), "a finished download is not fetched again");
        try (var engine = new InferenceEngine(Files.createTempDirectory("forge-work"), 1)) {
            engine.load("tiny", folder);
            var story = engine.generate("tiny", GenerationRequest.greedy(TinyLlama.STORY_PROMPT, 50), p -> { }, () -> false);
            assertEquals(TinyLlama.STORY, story.text());
        }
    }

    @Test
    void anInterruptedDownloadIsNotLoadedAndIsFetchedAgain() throws Exception {
        Path mirror = Files.createTempDirectory("forge-mirror");
        Path half = mirror.resolve(TINY.folderName());
        TinyLlama.write(TinyLlama.SMALL, half);
        Files.delete(half.resolve("model.safetensors"));
        Path root = Files.createTempDirectory("forge-models");
        var store = new ModelStore(root, ModelCatalog.of(List.of(TINY)), ModelSource.mirror(mirror));

        var failed = assertThrows(InferenceException.class, () -> store.resolve("tiny:small", DownloadProgress.SILENT));
        assertEquals(InferenceException.Code.DOWNLOAD_FAILED, failed.code());
        assertTrue(failed.getMessage().contains("pass the path of a model folder"), failed.getMessage());
        assertFalse(store.installed(TINY));

        TinyLlama.write(TinyLlama.SMALL, half);
        assertEquals(root.resolve(TINY.folderName()), store.resolve("tiny:small", DownloadProgress.SILENT));
    }

    @Test
    void aFolderIsUsedAsItIsAndAnUnknownNameIsRefused() throws Exception {
        Path folder = TinyLlama.write(TinyLlama.SMALL, Files.createTempDirectory("forge-own").resolve("m"));
        var store = new ModelStore(Files.createTempDirectory("forge-models"), ModelCatalog.builtIn(),
                (entry, root, progress) -> { throw new AssertionError("nothing to download"); });
        assertEquals(folder, store.resolve(folder.toString(), DownloadProgress.SILENT));
        var unknown = assertThrows(InferenceException.class, () -> store.resolve("gpt-17", DownloadProgress.SILENT));
        assertEquals(InferenceException.Code.UNKNOWN_MODEL, unknown.code());
        assertTrue(unknown.getMessage().contains("qwen2.5:0.5b"), "it lists what the catalog has: " + unknown.getMessage());
    }

    @Test
    void theProgressBarShowsShareAndSize() {
        assertEquals("model.safetensors [###############...............]  50%  350.0 / 700.0 MB",
                DownloadProgress.render("model.safetensors", 350_000_000L, 700_000_000L, 30));
        assertEquals("config.json [##########] 100%  0.0 / 0.0 MB", DownloadProgress.render("config.json", 700, 700, 10));
        assertEquals("tokenizer.json  1.5 MB", DownloadProgress.render("tokenizer.json", 1_500_000, -1, 10));
    }
}
