package dev.forge.economy.work;

import dev.forge.economy.crypto.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bodies kept in one folder, one file per body named by the lowercase hex of its SHA-256: what a
 * provider serves at {@code {bodies_url}/{hex}} and what a node keeps of the bodies it was given.
 * A missing file is gone; any other read error is {@link Bodies.Unreachable}.
 */
public final class FolderBodies implements Bodies {
    private final Path folder;

    public FolderBodies(Path folder) {
        this.folder = folder;
    }

    /** Stores {@code body} under its digest (atomically, so a reader never sees half a body) and returns the digest. */
    public byte[] put(byte[] body) throws IOException {
        WorkException.require(body != null && body.length <= MAX_BODY_BYTES, "a body is at most " + MAX_BODY_BYTES + " bytes");
        byte[] digest = Sha256.hash(body);
        Files.createDirectories(folder);
        Path target = path(digest);
        if (Files.exists(target)) return digest;
        Path temporary = Files.createTempFile(folder, ".body-", ".tmp");
        try {
            Files.write(temporary, body);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return digest;
    }

    @Override
    public Optional<byte[]> fetch(byte[] digest) throws Unreachable {
        WorkException.require(digest != null && digest.length == Sha256.SIZE, "a body digest is 32 bytes");
        Path file = path(digest);
        try {
            if (Files.size(file) > MAX_BODY_BYTES) return Optional.empty();
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new Unreachable("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    public Path path(byte[] digest) {
        return folder.resolve(HexFormat.of().formatHex(digest));
    }
}
