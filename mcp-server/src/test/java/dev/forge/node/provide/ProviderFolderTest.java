package dev.forge.node.provide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.TreeHead;
import dev.forge.economy.work.WorkVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a provider keeps in its folder: its key, its log with signed heads, its bodies and their server. */
class ProviderFolderTest {
    static final Engine ENGINE = new Engine("jlama", "0.8.4", "panama", "F32", "0.1.0", "test cpu");
    @TempDir Path folder;

    @Test
    void theKeyIsMadeOwnerOnlyOnceAndKeptAcrossStarts() throws Exception {
        Ed25519.KeyPair first = ProviderKey.openOrCreate(folder);
        Path file = folder.resolve(ProviderKey.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, ProviderKey.openOrCreate(folder));
        assertEquals(HexFormat.of().formatHex(Sha256.hash(first.publicKey())), ProviderKey.keyId(first));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var refused = assertThrows(ProviderException.class, () -> ProviderKey.openOrCreate(folder));
        assertEquals("key_not_private", refused.code());
    }

    @Test
    void theLogSurvivesARestartWithItsChainAndASignedHeadOverIt() {
        Ed25519.KeyPair key = ProviderKey.openOrCreate(folder);
        var log = AttestationLog.open(folder.resolve("log"), "prov", key, InstantSource.system());
        SignedAttestation a0 = attestation(key, log.tip(), 0);
        log.holdPending(7, a0);
        assertEquals(7, log.pending().orElseThrow().orderId());
        log.append(a0);
        assertTrue(log.pending().isEmpty(), "appending settles the pending attestation");
        SignedAttestation a1 = attestation(key, log.tip(), 1);
        log.append(a1);

        var reopened = AttestationLog.open(folder.resolve("log"), "prov", key, InstantSource.system());
        assertEquals(2, reopened.size());
        assertEquals(2, reopened.tip().nextIndex());
        assertArrayEquals(a1.digest(), reopened.tip().lastDigest());
        TreeHead head = reopened.head();
        assertTrue(head.verifies(Ed25519.PublicKey.decode(key.publicKey())));
        var tree = new MerkleLog();
        tree.append(MerkleHash.leaf(a0.digest()));
        tree.append(MerkleHash.leaf(a1.digest()));
        assertEquals(2, head.size());
        assertArrayEquals(tree.root(), head.root());
    }

    @Test
    void aTornLastRecordIsCutOffAndAnotherAccountsLogIsRefused() throws Exception {
        Ed25519.KeyPair key = ProviderKey.openOrCreate(folder);
        var log = AttestationLog.open(folder.resolve("log"), "prov", key, InstantSource.system());
        log.append(attestation(key, log.tip(), 0));
        Path file = folder.resolve("log").resolve(AttestationLog.ATTESTATIONS);
        long whole = Files.size(file);
        try (var out = FileChannel.open(file, StandardOpenOption.APPEND)) {
            out.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 42, 42})); // a crash mid-append
        }
        assertEquals(1, AttestationLog.open(folder.resolve("log"), "prov", key, InstantSource.system()).size());
        assertEquals(whole, Files.size(file));

        var other = assertThrows(ProviderException.class,
                () -> AttestationLog.open(folder.resolve("log"), "someone-else", key, InstantSource.system()));
        assertEquals("log_of_another_account", other.code());
        var forged = assertThrows(ProviderException.class,
                () -> AttestationLog.open(folder.resolve("log"), "prov", Ed25519.generate(), InstantSource.system()));
        assertEquals("log_corrupt", forged.code());
    }

    @Test
    void bodiesAreServedByDigestAndA404OnceGone() throws Exception {
        var store = new BodyStore(folder.resolve("bodies"));
        byte[] body = "Once upon a time".getBytes();
        String digest = store.put(body);
        assertEquals(HexFormat.of().formatHex(Sha256.hash(body)), digest);
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (var server = BodyServer.start(store, 0)) {
            URI base = server.bodiesUrl();
            var ok = http.send(HttpRequest.newBuilder(URI.create(base + "/" + digest)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode());
            assertArrayEquals(body, ok.body());

            for (String bad : List.of("/" + digest.toUpperCase(), "/../provider.key", "/" + digest.substring(1), "")) {
                var refused = http.send(HttpRequest.newBuilder(URI.create(base + bad)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, refused.statusCode(), bad);
            }
            var post = http.send(HttpRequest.newBuilder(URI.create(base + "/" + digest)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());

            Files.delete(store.folder().resolve(digest));
            var gone = http.send(HttpRequest.newBuilder(URI.create(base + "/" + digest)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, gone.statusCode());
            assertTrue(gone.body().contains("\"error\":\"body_not_found\""), gone.body());
        }
    }

    private static SignedAttestation attestation(Ed25519.KeyPair key, WorkVerifier.ChainTip tip, int n) {
        var a = new Attestation(Sha256.hashText("order " + n), "prov", Sha256.hashText("model"), ENGINE,
                new Replay(8, 0, 0, List.of()), Sha256.hashText("in " + n), Sha256.hashText("out " + n), 5, 8, "length", 1_000_000,
                13_000, 1_000, 2_000, tip.nextIndex(), tip.lastDigest());
        return SignedAttestation.sign(a, key);
    }
}
