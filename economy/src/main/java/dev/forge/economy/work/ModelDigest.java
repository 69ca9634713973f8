package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model folder's identity: the RFC 6962 root over its files, one leaf per file in order of
 * their relative paths' UTF-8 bytes, each leaf the canonical pair (path, SHA-256 of the
 * contents). Files whose name starts with '.' (download markers) are not part of the model.
 */
public final class ModelDigest {
    private ModelDigest() {
    }

    public static byte[] of(Path folder) {
        var log = new MerkleLog();
        for (Path file : files(folder)) {
            String name = folder.relativize(file).toString().replace('\\', '/');
            byte[] leaf = new CanonicalWriter(96).string(name).fixed(contentHash(file), Sha256.SIZE).toByteArray();
            log.append(MerkleHash.leaf(leaf));
        }
        return log.root();
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).toList());
            files.sort(Comparator.comparing(p -> folder.relativize(p).toString().replace('\\', '/'),
                    ModelDigest::compareUtf8));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the model folder " + folder, e);
        }
    }

    private static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] contentHash(Path file) {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return digest.digest();
    }
}
