package dev.forge.inference;

import java.io.PrintStream;
import java.util.Locale;

/** Progress of a model download, file by file. */
@FunctionalInterface
public interface DownloadProgress {
    DownloadProgress SILENT = (file, done, total) -> { };

    void update(String file, long done, long total);

    /** A one-line bar, redrawn in place on {@code out} (stderr: stdout may carry JSON-RPC). */
    static DownloadProgress bar(PrintStream out) {
        return (file, done, total) -> {
            out.print("\r" + render(file, done, total, 30));
            if (total > 0 && done >= total) out.println();
            out.flush();
        };
    }

    /** For example {@code model.safetensors [#########.....]  64%  448.0 / 700.0 MB}. */
    static String render(String file, long done, long total, int width) {
        if (total <= 0) return String.format(Locale.ROOT, "%s  %.1f MB", file, done / 1e6);
        int filled = (int) Math.min(width, done * width / total);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %.1f / %.1f MB", file, "#".repeat(filled),
                ".".repeat(width - filled), Math.min(100, done * 100 / total), done / 1e6, total / 1e6);
    }
}
