package dev.forge.node.provide;

import dev.forge.economy.crypto.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input and output bodies this provider ran, by content: {@code bodies/<hex sha256>}. A
 * verifier fetches them to check an attestation now; a body that is gone makes its chain
 * unverifiable, so nothing here ever deletes one.
 */
public final class BodyStore {
    public static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    /** The largest body stored or served: a chat request or its output is far smaller. */
    public static final int MAX_BYTES = 8 << 20;
    private final Path folder;

    public BodyStore(Path folder) {
        try {
            this.folder = PrivateFiles.folder(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
    }

    public Path folder() {
        return folder;
    }

    /** Stores a body under its digest and returns the digest's hex. Storing it again changes nothing. */
    public String put(byte[] body) {
        if (body.length > MAX_BYTES) throw new IllegalArgumentException("a body is at most " + MAX_BYTES + " bytes");
        String digest = HexFormat.of().formatHex(Sha256.hash(body));
        Path file = folder.resolve(digest);
        try {
            if (!Files.exists(file)) PrivateFiles.write(file, body);
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the body " + digest, e);
        }
    }

    /** The body with this digest, if stored; anything but 64 lowercase hex digits names none. */
    public Optional<byte[]> get(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) return Optional.empty();
        try {
            return Optional.of(Files.readAllBytes(folder.resolve(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the body " + digest, e);
        }
    }
}
