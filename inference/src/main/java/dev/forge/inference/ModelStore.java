package dev.forge.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The folder where downloaded models live ({@code ~/.forge/models} by default), and the way
 * a model named on the command line becomes a folder jlama can load.
 *
 * <p>A model counts as present only once its download finished (a {@code .finished} file next to
 * its files, written last), so an interrupted download is fetched again, not loaded half-written.
 */
public final class ModelStore {
    static final String FINISHED = ".finished";

    private final Path root;
    private final ModelCatalog catalog;
    private final ModelSource source;

    public ModelStore(Path root, ModelCatalog catalog, ModelSource source) {
        this.root = root;
        this.catalog = catalog;
        this.source = source;
    }

    public static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".forge", "models");
    }

    /** A folder is used as it is; a catalog name is found in the store or downloaded into it. */
    public Path resolve(String nameOrFolder, DownloadProgress progress) {
        if (!catalog.find(nameOrFolder).isPresent() && Files.isDirectory(Path.of(nameOrFolder))) {
            return ModelFolder.inspect(Path.of(nameOrFolder)).path();
        }
        CatalogEntry entry = catalog.find(nameOrFolder).orElseThrow(() -> new InferenceException(
                InferenceException.Code.UNKNOWN_MODEL, nameOrFolder + " is neither a model folder nor in the catalog ("
                        + catalog.entries().stream().map(CatalogEntry::name).collect(Collectors.joining(", ")) + ")"));
        Path folder = root.resolve(entry.folderName());
        if (Files.exists(folder.resolve(FINISHED))) return folder;
        try {
            Files.createDirectories(root);
            source.fetch(entry, root, progress);
            ModelFolder.inspect(folder);
            Files.createFile(folder.resolve(FINISHED));
            return folder;
        } catch (IOException | RuntimeException e) {
            throw new InferenceException(InferenceException.Code.DOWNLOAD_FAILED, "could not fetch " + entry.name()
                    + " (" + entry.source() + "): " + e.getClass().getSimpleName() + " " + e.getMessage()
                    + "; without internet, pass the path of a model folder instead", e);
        }
    }

    /** Whether a catalog model is downloaded completely. */
    public boolean installed(CatalogEntry entry) {
        return Files.exists(root.resolve(entry.folderName()).resolve(FINISHED));
    }
}
