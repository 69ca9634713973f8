package dev.forge.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An auditor without Forge's code: reads work orders, attestations and tree heads from their
 * bytes with a plain ByteBuffer, following docs/ledger.md field by field, checks signatures with
 * the JDK's own Ed25519, and re-implements the checks of "The checks" and RFC 6962 roots.
 * Nothing here calls dev.forge.economy.
 */
final class ThirdPartyVerifier {
    private ThirdPartyVerifier() {
    }

    record Order(byte[] signedBytes, byte[] signature, String buyer, String provider, String kind, String model, byte[] modelDigest,
                 String tier, byte[] inputDigest, Replay replay, long maxCost, long reward, byte[] nonce, String audience,
                 long expiresAt, int signer) {
        byte[] digest() {
            return sha256(signedBytes, signature);
        }
    }

    record Replay(int maxTokens, int temperatureMilli, long seed, List<String> stop) {
    }

    record Attestation(byte[] signedBytes, byte[] signature, byte[] orderDigest, String provider, byte[] modelDigest,
                       List<String> engine, Replay replay, byte[] inputDigest, byte[] outputDigest, int promptTokens,
                       int completionTokens, String finishReason, long price, long amount, long startedAt, long finishedAt,
                       long logIndex, byte[] previousDigest) {
        byte[] digest() {
            return sha256(signedBytes, signature);
        }
    }

    record TreeHead(byte[] signedBytes, byte[] signature, String provider, long size, byte[] root, long issuedAt) {
    }

    /** A settled-work leaf of the ledger's Merkle log: forge/settled-work/v1, id, order id, transfer id, settled_at, both records. */
    record SettledWork(byte[] leafBytes, long id, long orderId, long transferId, long settledAt, Order order, Attestation attestation) {
    }

    static SettledWork settledWork(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        expect(in, "forge/settled-work/v1");
        long id = in.getLong(), orderId = in.getLong(), transferId = in.getLong(), settledAt = in.getLong();
        Order order = order(in);
        Attestation attestation = attestation(in);
        end(in);
        return new SettledWork(bytes, id, orderId, transferId, settledAt, order, attestation);
    }

    /** forge/work-order/v1, then sig64; nothing may follow. */
    static Order order(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Order order = order(in);
        end(in);
        return order;
    }

    private static Order order(ByteBuffer in) {
        int start = in.position();
        expect(in, "forge/work-order/v1");
        String buyer = string(in), provider = string(in), kind = string(in), model = string(in);
        byte[] modelDigest = fixed(in, 32);
        String tier = string(in);
        byte[] input = fixed(in, 32);
        Replay replay = replay(in);
        long maxCost = in.getLong(), reward = in.getLong();
        byte[] nonce = fixed(in, 16);
        String audience = string(in);
        long expiresAt = in.getLong();
        int signer = in.get() & 0xff;
        byte[] signed = Arrays.copyOfRange(in.array(), start, in.position());
        byte[] signature = fixed(in, 64);
        return new Order(signed, signature, buyer, provider, kind, model, modelDigest, tier, input, replay, maxCost, reward, nonce,
                audience, expiresAt, signer);
    }

    /** forge/attestation/v1, then sig64. */
    static Attestation attestation(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Attestation attestation = attestation(in);
        end(in);
        return attestation;
    }

    private static Attestation attestation(ByteBuffer in) {
        int start = in.position();
        expect(in, "forge/attestation/v1");
        byte[] orderDigest = fixed(in, 32);
        String provider = string(in);
        byte[] modelDigest = fixed(in, 32);
        List<String> engine = List.of(string(in), string(in), string(in), string(in), string(in), string(in));
        Replay replay = replay(in);
        byte[] input = fixed(in, 32), output = fixed(in, 32);
        int prompt = in.getInt(), completion = in.getInt();
        String finish = string(in);
        long price = in.getLong(), amount = in.getLong(), started = in.getLong(), finished = in.getLong(), index = in.getLong();
        byte[] previous = fixed(in, 32);
        byte[] signed = Arrays.copyOfRange(in.array(), start, in.position());
        byte[] signature = fixed(in, 64);
        return new Attestation(signed, signature, orderDigest, provider, modelDigest, engine, replay, input, output, prompt,
                completion, finish, price, amount, started, finished, index, previous);
    }

    /** forge/tree-head/v1: tag, provider, size, root, issued_at, then sig64. */
    static TreeHead treeHead(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        expect(in, "forge/tree-head/v1");
        String provider = string(in);
        long size = in.getLong();
        byte[] root = fixed(in, 32);
        long issuedAt = in.getLong();
        byte[] signed = Arrays.copyOf(bytes, in.position());
        byte[] signature = fixed(in, 64);
        end(in);
        return new TreeHead(signed, signature, provider, size, root, issuedAt);
    }

    /**
     * Every check of docs/ledger.md's table that fails, by its code; empty when the pair verifies.
     * {@code input} and {@code output} are the bodies as fetched; {@code nonceUsed} says whether this
     * buyer's nonce was seen on another order.
     */
    static List<String> failures(Order o, Attestation a, byte[] orderKey, byte[] providerKey, String audience, byte[] input,
                                 byte[] output, long nextIndex, byte[] lastDigest, boolean nonceUsed, String provider) {
        List<String> failed = new ArrayList<>();
        if (!ed25519(orderKey, o.signedBytes(), o.signature())) failed.add("signature.order");
        if (!ed25519(providerKey, a.signedBytes(), a.signature())) failed.add("signature.attestation");
        if (!Arrays.equals(a.orderDigest(), o.digest())) failed.add("binding.order");
        if (!a.provider().equals(provider) || !(o.provider().isEmpty() || o.provider().equals(a.provider()))) failed.add("binding.provider");
        if (!Arrays.equals(a.inputDigest(), o.inputDigest()) || !Arrays.equals(sha256(input), o.inputDigest())) failed.add("binding.input");
        if (!Arrays.equals(sha256(output), a.outputDigest())) failed.add("binding.output");
        if (!o.model().isEmpty() && !Arrays.equals(a.modelDigest(), o.modelDigest())) failed.add("binding.model");
        if (!a.replay().equals(o.replay())) failed.add("binding.replay");
        if (a.completionTokens() > o.replay().maxTokens()) failed.add("binding.tokens");
        if (a.amount() > o.maxCost()) failed.add("binding.amount");
        long tokens = (long) a.promptTokens() + a.completionTokens();
        if (a.amount() != Math.ceilDiv(tokens * a.price(), 1000L)) failed.add("binding.price");
        if (a.finishedAt() > o.expiresAt() || a.startedAt() > a.finishedAt()) failed.add("binding.expiry");
        if (!(o.audience().equals("grid") || o.audience().equals(audience))) failed.add("binding.audience");
        if (nonceUsed) failed.add("binding.nonce");
        if (a.logIndex() != nextIndex) failed.add("chain.index");
        if (!Arrays.equals(a.previousDigest(), lastDigest)) failed.add("chain.previous");
        return failed;
    }

    /** RFC 6962 Merkle tree hash over leaf data: leaf = SHA-256(0x00 ‖ d), node = SHA-256(0x01 ‖ l ‖ r). */
    static byte[] merkleRoot(List<byte[]> leaves) {
        if (leaves.isEmpty()) return sha256();
        if (leaves.size() == 1) return sha256(new byte[] {0}, leaves.getFirst());
        int k = Integer.highestOneBit(leaves.size() - 1);
        return sha256(new byte[] {1}, merkleRoot(leaves.subList(0, k)), merkleRoot(leaves.subList(k, leaves.size())));
    }

    /** docs/ledger.md "Model digest": one leaf per file not starting with '.', ordered by path bytes. */
    static byte[] modelDigest(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList());
        }
        Comparator<Path> byBytes = (x, y) -> Arrays.compareUnsigned(rel(folder, x), rel(folder, y));
        files.sort(byBytes);
        List<byte[]> leaves = new ArrayList<>();
        for (Path file : files) {
            byte[] name = rel(folder, file);
            leaves.add(ByteBuffer.allocate(2 + name.length + 32).putShort((short) name.length).put(name)
                    .put(sha256(Files.readAllBytes(file))).array());
        }
        return merkleRoot(leaves);
    }

    private static byte[] rel(Path folder, Path file) {
        return folder.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8);
    }

    /** The JDK's own Ed25519 over a raw 32-byte public key (wrapped in its fixed X.509 prefix). */
    static boolean ed25519(byte[] rawPublicKey, byte[] message, byte[] signature) {
        try {
            byte[] prefix = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
            byte[] encoded = ByteBuffer.allocate(prefix.length + 32).put(prefix).put(rawPublicKey).array();
            var key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
            var verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) digest.update(part);
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A provider's log file: records of u32 length ‖ bytes (docs/provider.md). */
    static List<byte[]> records(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        List<byte[]> records = new ArrayList<>();
        while (in.hasRemaining()) records.add(fixed(in, in.getInt()));
        return records;
    }

    private static Replay replay(ByteBuffer in) {
        int maxTokens = in.getInt(), temperature = in.getInt();
        long seed = in.getLong();
        int count = in.get() & 0xff;
        List<String> stop = new ArrayList<>();
        for (int i = 0; i < count; i++) stop.add(string(in));
        return new Replay(maxTokens, temperature, seed, stop);
    }

    private static void expect(ByteBuffer in, String tag) {
        String found = string(in);
        if (!found.equals(tag)) throw new IllegalArgumentException("expected " + tag + ", found " + found);
    }

    private static String string(ByteBuffer in) {
        return new String(fixed(in, in.getShort() & 0xffff), StandardCharsets.UTF_8);
    }

    private static byte[] fixed(ByteBuffer in, int size) {
        byte[] bytes = new byte[size];
        in.get(bytes);
        return bytes;
    }

    private static void end(ByteBuffer in) {
        if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " trailing bytes");
    }
}
