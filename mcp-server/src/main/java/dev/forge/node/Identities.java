package dev.forge.node;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.policies.Actor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Who may act on this node, kept in the data folder with owner-only permissions:
 * {@code operator_token}, and per agent {@code agents/<id>} holding its Ed25519 seed, the
 * SHA-256 of its API token ({@value #REVOKED} once revoked; the token itself is shown once) and
 * {@value #NO_KILL} when the operator took its right to pull the kill switch. The node's own
 * signing key is {@code keys/node.seed}. Files starting with '.' are temporary: no agent id can.
 */
public final class Identities {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    static final String REVOKED = "revoked";
    static final String NO_KILL = "may_kill=false";

    private final Path dir;
    private final String operatorTokenHash;
    private final Ed25519.KeyPair nodeKey;
    private final Map<String, String> agentByTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Ed25519.KeyPair> agentKeys = new ConcurrentHashMap<>();
    private final Map<String, String> tokenHashByAgent = new ConcurrentHashMap<>();
    private final Set<String> mayNotKill = ConcurrentHashMap.newKeySet();

    private Identities(Path dir, String operatorTokenHash, Ed25519.KeyPair nodeKey) {
        this.dir = dir;
        this.operatorTokenHash = operatorTokenHash;
        this.nodeKey = nodeKey;
    }

    /** Loads the identities in {@code dir}, writing the operator token and node key at first start. */
    public static Identities open(Path dir) {
        try {
            DataFolder.createPrivate(dir.resolve("agents"));
            DataFolder.createPrivate(dir.resolve("keys"));
            Path tokenFile = dir.resolve("operator_token");
            if (!Files.exists(tokenFile)) writeSecret(tokenFile, "forge_op_" + randomToken());
            Path seedFile = dir.resolve("keys").resolve("node.seed");
            if (!Files.exists(seedFile)) writeSecret(seedFile, HEX.formatHex(Ed25519.seed(RANDOM)));
            var nodeKey = Ed25519.fromSeed(HEX.parseHex(Files.readString(seedFile).strip()));
            var identities = new Identities(dir, hash(Files.readString(tokenFile).strip()), nodeKey);
            identities.loadAgents();
            return identities;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the identities in " + dir, e);
        }
    }

    /** The actor a bearer token stands for, if any. */
    public Optional<Actor> actor(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        String hash = hash(token.strip());
        if (java.security.MessageDigest.isEqual(hash.getBytes(), operatorTokenHash.getBytes())) return Optional.of(Actor.operator());
        return Optional.ofNullable(agentByTokenHash.get(hash)).map(Actor::agent);
    }

    /** Creates an agent's key and token; returns the token, which is stored only as a hash. */
    public synchronized String createAgent(String id) {
        // The id names a file: never one that is a path, hidden, or a temporary file's name.
        if (!dev.forge.economy.ledger.AccountSpec.validId(id)) throw new IllegalArgumentException("invalid agent id");
        if (agentKeys.containsKey(id)) throw new IllegalArgumentException("agent " + id + " already exists");
        byte[] seed = Ed25519.seed(RANDOM);
        String token = newToken();
        save(id, seed, hash(token), true);
        agentKeys.put(id, Ed25519.fromSeed(seed));
        use(id, hash(token));
        return token;
    }

    /** Undoes a create that the ledger then refused, so that a failed create leaves nothing behind. */
    public synchronized void forgetAgent(String id) {
        try {
            Files.deleteIfExists(agentFile(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove agent " + id, e);
        }
        agentKeys.remove(id);
        use(id, null);
        mayNotKill.remove(id);
    }

    /** Ends the agent's token at once: its next request on any surface is unauthorized. */
    public synchronized void revoke(String id) {
        requireAgent(id);
        save(id, seedOf(id), REVOKED, mayKill(id));
        use(id, null);
    }

    /** Issues the agent a new token (ending the old one); returns it, shown this once. */
    public synchronized String rotate(String id) {
        requireAgent(id);
        String token = newToken();
        save(id, seedOf(id), hash(token), mayKill(id));
        use(id, hash(token));
        return token;
    }

    /** Gives or takes the agent's right to pull the kill switch. */
    public synchronized void setMayKill(String id, boolean allowed) {
        requireAgent(id);
        save(id, seedOf(id), tokenHashByAgent.getOrDefault(id, REVOKED), allowed);
        if (allowed) mayNotKill.remove(id);
        else mayNotKill.add(id);
    }

    /** The operator always may; an agent unless the operator took the right away. */
    public boolean mayKill(Actor actor) {
        return actor.isOperator() || mayKill(actor.id());
    }

    public boolean isRevoked(String id) {
        return agentKeys.containsKey(id) && !tokenHashByAgent.containsKey(id);
    }

    private boolean mayKill(String id) {
        return !mayNotKill.contains(id);
    }

    private void requireAgent(String id) {
        if (!agentKeys.containsKey(id)) throw new IllegalArgumentException("no agent " + id);
    }

    private byte[] seedOf(String id) {
        return agentKeys.get(id).secretKey();
    }

    /** Points the agent at its token hash (none: revoked), dropping the old one. */
    private void use(String id, String tokenHash) {
        String old = tokenHash == null ? tokenHashByAgent.remove(id) : tokenHashByAgent.put(id, tokenHash);
        if (old != null) agentByTokenHash.remove(old);
        if (tokenHash != null) agentByTokenHash.put(tokenHash, id);
    }

    private void save(String id, byte[] seed, String tokenHash, boolean mayKill) {
        try {
            writeSecret(agentFile(id), HEX.formatHex(seed) + "\n" + tokenHash + "\n" + (mayKill ? "" : NO_KILL + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store agent " + id, e);
        }
    }

    private Path agentFile(String id) {
        return dir.resolve("agents").resolve(id);
    }

    public Optional<Ed25519.KeyPair> agentKey(String id) {
        return Optional.ofNullable(agentKeys.get(id));
    }

    public List<String> agents() {
        return agentKeys.keySet().stream().sorted().toList();
    }

    public Ed25519.KeyPair nodeKey() {
        return nodeKey;
    }

    /** The operator token as written at first start (for the CLI on the same machine). */
    public static String operatorToken(Path dir) throws IOException {
        return Files.readString(dir.resolve("operator_token")).strip();
    }

    private void loadAgents() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("agents"))) {
            for (Path file : files.toList()) {
                String id = file.getFileName().toString();
                if (id.startsWith(".")) continue; // a temporary file a crash left behind
                List<String> lines = Files.readAllLines(file);
                agentKeys.put(id, Ed25519.fromSeed(HEX.parseHex(lines.get(0).strip())));
                String tokenHash = lines.get(1).strip();
                if (!tokenHash.equals(REVOKED)) use(id, tokenHash);
                if (lines.size() > 2 && lines.get(2).strip().equals(NO_KILL)) mayNotKill.add(id);
            }
        }
    }

    private static String newToken() {
        return "forge_ag_" + randomToken();
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String token) {
        return HEX.formatHex(Sha256.hash(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Written with owner-only permissions from the start, never readable by others even briefly. */
    private static void writeSecret(Path file, String content) throws IOException {
        // A leading '.' and a random part: no agent id can name it, so it never overwrites a key.
        Path temp = file.resolveSibling("." + file.getFileName() + "." + randomToken() + ".tmp");
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp); // gone after the move; after a failure, nothing is left behind
        }
    }
}
