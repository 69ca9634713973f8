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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Who may act on this node, kept in the data folder with owner-only permissions:
 * {@code operator_token}, and per agent {@code agents/<id>} holding its Ed25519 seed and the
 * SHA-256 of its API token (the token itself is shown once, when the account is created). The
 * node's own signing key is {@code keys/node.seed}.
 */
public final class Identities {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final Path dir;
    private final String operatorTokenHash;
    private final Ed25519.KeyPair nodeKey;
    private final Map<String, String> agentByTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Ed25519.KeyPair> agentKeys = new ConcurrentHashMap<>();

    private Identities(Path dir, String operatorTokenHash, Ed25519.KeyPair nodeKey) {
        this.dir = dir;
        this.operatorTokenHash = operatorTokenHash;
        this.nodeKey = nodeKey;
    }

    /** Loads the identities in {@code dir}, writing the operator token and node key at first start. */
    public static Identities open(Path dir) {
        try {
            Files.createDirectories(dir.resolve("agents"));
            Files.createDirectories(dir.resolve("keys"));
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
        if (agentKeys.containsKey(id)) throw new IllegalArgumentException("agent " + id + " already exists");
        byte[] seed = Ed25519.seed(RANDOM);
        String token = "forge_ag_" + randomToken();
        try {
            writeSecret(dir.resolve("agents").resolve(id), HEX.formatHex(seed) + "\n" + hash(token) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store agent " + id, e);
        }
        agentKeys.put(id, Ed25519.fromSeed(seed));
        agentByTokenHash.put(hash(token), id);
        return token;
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
                List<String> lines = Files.readAllLines(file);
                String id = file.getFileName().toString();
                agentKeys.put(id, Ed25519.fromSeed(HEX.parseHex(lines.get(0).strip())));
                agentByTokenHash.put(lines.get(1).strip(), id);
            }
        }
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
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
