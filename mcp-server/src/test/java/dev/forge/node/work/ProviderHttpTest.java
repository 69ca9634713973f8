package dev.forge.node.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.MerkleHash;
import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.Bodies;
import dev.forge.economy.work.TreeHead;
import dev.forge.node.app.CallRefused;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's HTTP clients of a provider, against a real JDK HttpServer playing one. */
class ProviderHttpTest {
    private HttpServer server;
    private String base;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger redirectedHits = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/bodies";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/elsewhere")) redirectedHits.incrementAndGet();
            if (path.endsWith("/broken")) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            if (path.endsWith("/moved")) {
                exchange.getResponseHeaders().set("Location", "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            byte[] body = served.get(path.substring("/bodies/".length()));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Test
    void aBodyIsItsBytesGoneIsEmptyAndAnythingElseIsNoAnswer() throws Exception {
        byte[] body = "Once upon a time".getBytes(StandardCharsets.UTF_8);
        String hex = HexFormat.of().formatHex(Sha256.hash(body));
        served.put(hex, body);
        var bodies = new HttpBodies(base);
        assertArrayEquals(body, bodies.fetch(Sha256.hash(body)).orElseThrow());
        assertEquals(Optional.empty(), bodies.fetch(new byte[32]), "404 is gone");
        assertThrows(Bodies.Unreachable.class, () -> ProviderHttp.get(ProviderHttp.under(base, "broken"), 100), "500 is no answer");
        var redirect = assertThrows(Bodies.Unreachable.class, () -> ProviderHttp.get(ProviderHttp.under(base, "moved"), 100));
        assertTrue(redirect.getMessage().contains("redirects are refused"), redirect.getMessage());
        assertEquals(0, redirectedHits.get(), "a redirect is not followed");
        var tooLarge = ProviderHttp.get(ProviderHttp.under(base, hex), 8);
        assertTrue(tooLarge.tooLarge() && tooLarge.bytes().isEmpty(), "a body over the bound is not read");
        assertEquals(Optional.empty(), new HttpBodies("").fetch(Sha256.hash(body)), "no bodies_url serves nothing");
        assertThrows(Bodies.Unreachable.class, () -> new HttpBodies("file:///etc").fetch(Sha256.hash(body)), "only http(s) is asked");
        server.stop(0);
        assertThrows(Bodies.Unreachable.class, () -> bodies.fetch(Sha256.hash(body)), "a closed port is no answer");
    }

    @Test
    void theLogIsItsSignedHeadAndProofsThatVerify() throws Exception {
        var key = Ed25519.generate();
        var tree = new MerkleLog();
        for (int i = 0; i < 5; i++) tree.append(MerkleHash.leaf(Sha256.hash(new byte[] {(byte) i})));
        TreeHead head = TreeHead.sign("key:provider", 5, tree.root(), 1_000, key);
        served.put("log/head", head.encode());
        served.put("log/inclusion/3/5", concat(tree.proof(3, 5).path()));
        served.put("log/consistency/2/5", concat(tree.consistency(2, 5).path()));
        var proofs = new HttpLogProofs(provider -> provider.equals("key:provider") ? base : "");

        assertEquals(head, proofs.latestHead("key:provider").orElseThrow());
        var inclusion = proofs.inclusion("key:provider", 3, 5).orElseThrow();
        assertTrue(inclusion.verify(MerkleHash.leaf(Sha256.hash(new byte[] {3})), head.root()));
        assertTrue(!inclusion.verify(MerkleHash.leaf(Sha256.hash(new byte[] {2})), head.root()), "and only for its leaf");
        assertTrue(proofs.consistency("key:provider", 2, 5).orElseThrow().verify(tree.root(2), head.root()));
        assertEquals(Optional.empty(), proofs.inclusion("key:provider", 1, 5), "a proof not served is gone");
        assertEquals(Optional.empty(), proofs.latestHead("key:other"), "a provider with no URL serves no head");

        served.put("log/head", "not a head".getBytes(StandardCharsets.UTF_8));
        served.put("log/inclusion/3/5", new byte[33]);
        assertEquals(Optional.empty(), proofs.latestHead("key:provider"), "bytes that are no head are none");
        assertEquals(Optional.empty(), proofs.inclusion("key:provider", 3, 5), "a proof of 33 bytes is none");
    }

    @Test
    void aMinimumRateIsADecimalStringFromZeroToOneParsedStrictly() {
        assertEquals(900_000, BuyerFilters.of("0.9", 0).minVerificationPpm());
        assertEquals(1_000_000, BuyerFilters.of("1", 0).minVerificationPpm());
        assertEquals(123_456, BuyerFilters.of("0.123456", 7).minVerificationPpm());
        assertEquals(7, BuyerFilters.of(null, 7).minCompleted());
        for (String bad : new String[] {"1.5", "1.000001", "0.1234567", "90%", "-0", "0.5e1", ".5", "2", " 0.5", ""}) {
            var e = assertThrows(CallRefused.class, () -> BuyerFilters.of(bad, 0), bad);
            assertEquals("invalid_argument", e.code());
        }
        assertThrows(CallRefused.class, () -> BuyerFilters.of("0.5", -1));
    }

    private static byte[] concat(java.util.List<byte[]> hashes) {
        var out = new java.io.ByteArrayOutputStream();
        hashes.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
