package dev.forge.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The node's data folder: private to its owner, and a manifest ({@value #MANIFEST}) written at
 * first start that names the stores and how far each had come, so that a store gone missing
 * later stops the node instead of being silently created empty (a fresh ledger under the agents'
 * old tokens, or budgets, the kill switch, approvals and the audit log reset), and so does a
 * store older than the one the node last closed.
 */
final class DataFolder {
    static final String MANIFEST = "node.json";
    static final List<String> STORES = List.of("ledger/ledger.db", "safety/safety.db");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {}

    /** What a node leaves in its folder; any one of them means it has started before. */
    private static final List<String> TRACES = List.of(MANIFEST, "operator_token", "keys", "agents", "ledger/ledger.db",
            "safety/safety.db");

    /**
     * Before any store opens: a folder that has been a node (a manifest, or the identities or a
     * store of a node from before manifests) must still hold every store it had. Only a folder
     * with none of them is a first start.
     */
    static void checkBeforeOpen(Path data) {
        boolean started = TRACES.stream().anyMatch(trace -> Files.exists(data.resolve(trace)));
        if (!started) return;
        for (String store : STORES) {
            if (!Files.exists(data.resolve(store))) {
                throw new NodeStartException("the data folder " + data + " belongs to a node that has started before, but its "
                        + store + " is gone; restore it from a backup (or use an empty folder for a new node)");
            }
        }
    }

    /** How far each store had come: a store swapped for an older copy is behind. */
    record Heads(long ledger, long audit) {}

    /**
     * After the stores opened: refuses a store older than the one this node last closed (a copy
     * put back to undo spending or to release the kill switch), records the stores and their
     * heads, and makes every folder and store private to the owner.
     */
    static void sealAfterOpen(Path data, Heads now) {
        Heads recorded = recordedHeads(data);
        refuseOlder(now.ledger(), recorded.ledger(), "the ledger in " + data.resolve("ledger") + " ends at record ");
        refuseOlder(now.audit(), recorded.audit(), "the safety store in " + data.resolve("safety") + " ends at audit entry ");
        recordHeads(data, now);
        try {
            tighten(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set owner-only permissions in " + data, e);
        }
    }

    private static void refuseOlder(long now, long recorded, String store) {
        if (now < recorded) {
            throw new NodeStartException(store + now + " but this node last closed it at " + recorded
                    + ": it was replaced by an older copy; put the latest one back");
        }
    }

    /** Written at each clean stop; a crash leaves older heads, which never refuse a good store. */
    static void recordHeads(Path data, Heads heads) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("stores", STORES);
        manifest.put("ledger_head", heads.ledger());
        manifest.put("audit_size", heads.audit());
        Path file = data.resolve(MANIFEST);
        Path temp = data.resolve("." + MANIFEST + ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(manifest));
            Files.setPosixFilePermissions(temp, OWNER_FILE);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Heads recordedHeads(Path data) {
        Path file = data.resolve(MANIFEST);
        if (!Files.exists(file)) return new Heads(0, 0);
        try {
            var manifest = JSON.readTree(file.toFile());
            return new Heads(manifest.path("ledger_head").asLong(0), manifest.path("audit_size").asLong(0));
        } catch (IOException e) {
            throw new NodeStartException(file + " cannot be read (" + e.getMessage().lines().findFirst().orElse("")
                    + "); restore it, or remove it to trust the stores as they are", e);
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
