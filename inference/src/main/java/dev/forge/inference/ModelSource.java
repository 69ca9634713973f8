package dev.forge.inference;

import com.github.tjake.jlama.util.Downloader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Where a catalog model's files come from. */
@FunctionalInterface
public interface ModelSource {
    /** Fetches the entry's files into {@code root/entry.folderName()}, reporting progress per file. */
    void fetch(CatalogEntry entry, Path root, DownloadProgress progress) throws IOException;

    /**
     * HuggingFace, through jlama's downloader (which reads a token from HF_TOKEN for gated
     * models). It needs internet; Forge's tests cannot run it.
     */
    ModelSource HUGGING_FACE = (entry, root, progress) -> new Downloader(root.toString(), entry.source())
            .withProgressReporter(progress::update)
            .huggingFaceModel();

    /** A folder holding models already downloaded elsewhere, laid out as the store is (for offline machines). */
    static ModelSource mirror(Path mirror) {
        return (entry, root, progress) -> {
            Path from = mirror.resolve(entry.folderName());
            Path to = root.resolve(entry.folderName());
            if (!Files.isDirectory(from)) throw new IOException(entry.name() + " is not in the mirror " + mirror);
            Files.createDirectories(to);
            List<Path> files;
            try (Stream<Path> listing = Files.list(from)) {
                files = listing.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                long size = Files.size(file);
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                progress.update(file.getFileName().toString(), size, size);
            }
        };
    }
}
