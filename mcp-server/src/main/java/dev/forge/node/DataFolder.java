package dev.forge.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The node's data folder: private to its owner, and a manifest ({@value #MANIFEST}) written at
 * first start that names the stores, so that a store gone missing later stops the node instead
 * of being silently created empty (a fresh ledger under the agents' old tokens, or budgets, the
 * kill switch, approvals and the audit log reset).
 */
final class DataFolder {
    static final String MANIFEST = "node.json";
    static final List<String> STORES = List.of("ledger/ledger.db", "safety/safety.db");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {}

    /**
     * Before any store opens: a folder that has been a node (a manifest, or the identities of a
     * node from before manifests) must still hold every store it had.
     */
    static void checkBeforeOpen(Path data) {
        boolean started = Files.exists(data.resolve(MANIFEST)) || Files.exists(data.resolve("operator_token"));
        if (!started) return;
        for (String store : STORES) {
            if (!Files.exists(data.resolve(store))) {
                throw new NodeStartException("the data folder " + data + " belongs to a node that has started before, but its "
                        + store + " is gone; restore it from a backup (or use an empty folder for a new node)");
            }
        }
    }

    /** After the stores opened: records them, and makes every folder and store private to the owner. */
    static void sealAfterOpen(Path data) {
        try {
            Path manifest = data.resolve(MANIFEST);
            if (!Files.exists(manifest)) {
                Files.writeString(manifest, "{\"stores\": [\"" + String.join("\", \"", STORES) + "\"]}\n");
            }
            tighten(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest or set permissions in " + data, e);
        }
    }

    static void createPrivateOrRefuse(Path data) {
        try {
            createPrivate(data);
        } catch (IOException e) {
            throw new NodeStartException("cannot create the data folder " + data + ": " + e.getMessage(), e);
        }
    }

    static void createPrivate(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, OWNER_DIR);
    }

    /** Folders 0700 and files 0600, through the whole tree (the models folder lives elsewhere). */
    private static void tighten(Path data) throws IOException {
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) continue;
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? OWNER_DIR : OWNER_FILE);
            }
        }
    }
}
