package dev.forge.inference;

import java.nio.file.Path;

/**
 * How a model folder is named by its bytes. The engine computes it once per model, before
 * jlama loads the folder (the bytes that will run), and keeps it on the {@link LocalModel}:
 * hashing a folder reads every byte of it. The node passes Forge's {@code ModelDigest}; this
 * module does not define the format.
 */
@FunctionalInterface
public interface FolderDigest {
    /** No name: for engines whose models nobody asks for by digest (tests, benchmarks); the digest is empty. */
    FolderDigest NONE = folder -> new byte[0];

    byte[] of(Path folder);
}
