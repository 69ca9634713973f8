package dev.forge.node.provide;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The provider's own Ed25519 key: the 32-byte seed as hex in {@value #FILE}, created 0600 at
 * first start. It signs attestations and tree heads and never leaves this process; the node
 * gets the public key only.
 */
public final class ProviderKey {
    public static final String FILE = "provider.key";
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private ProviderKey() {
    }

    /** The key in {@code folder}, made on first start. A key file others may read is refused, as ssh does. */
    public static Ed25519.KeyPair openOrCreate(Path folder) {
        Path file = folder.resolve(FILE);
        try {
            PrivateFiles.folder(folder);
            if (!Files.exists(file)) {
                PrivateFiles.write(file, HexFormat.of().formatHex(Ed25519.seed(new SecureRandom())).getBytes());
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                throw new ProviderException("key_not_private", file + " can be read or written by others: chmod 600 " + file);
            }
            return Ed25519.fromSeed(seed(file));
        } catch (IOException e) {
            throw new ProviderException("key_unreadable", "cannot read or create the key " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] seed(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (!text.matches("[0-9a-f]{64}")) {
            throw new ProviderException("key_unreadable", file + " is not a 32-byte Ed25519 seed in lowercase hex");
        }
        return HexFormat.of().parseHex(text);
    }

    /** The key's id as the node names it: hex SHA-256 of the raw public key. */
    public static String keyId(Ed25519.KeyPair key) {
        return HexFormat.of().formatHex(Sha256.hash(key.publicKey()));
    }
}
