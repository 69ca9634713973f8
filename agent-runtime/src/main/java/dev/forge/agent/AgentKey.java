package dev.forge.agent;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * The agent's own Ed25519 key: the 32-byte seed as lowercase hex in one file, made 0600 in a
 * 0700 folder on first start (the same form as {@code forge provide}'s key, so that one process
 * can buy and sell with one key). It signs the agent's orders and never leaves the process: the
 * node gets the public key only. A key file others may read or write is refused, as ssh does.
 */
public final class AgentKey {
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private AgentKey() {
    }

    public static Ed25519.KeyPair openOrCreate(Path file) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            if (!Files.exists(file)) write(file, HexFormat.of().formatHex(Ed25519.seed(new SecureRandom())).getBytes());
            if (Files.getPosixFilePermissions(file).stream().anyMatch(OTHERS::contains)) {
                throw new AgentException("key_not_private", file + " can be read or written by others: chmod 600 " + file);
            }
            String text = Files.readString(file).strip();
            if (!text.matches("[0-9a-f]{64}")) throw new AgentException("key_unreadable", file + " is not a 32-byte seed in hex");
            return Ed25519.fromSeed(HexFormat.of().parseHex(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key " + file, e);
        }
    }

    /** The key's id as the node names it: hex SHA-256 of the raw public key. */
    public static String keyId(Ed25519.KeyPair key) {
        return HexFormat.of().formatHex(Sha256.hash(key.publicKey()));
    }

    /** Whole or not at all: a temporary 0600 file, fsync, atomic move. */
    private static void write(Path file, byte[] bytes) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(bytes));
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
