package dev.forge.node.provide;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the stored bodies at {@code GET /bodies/<hex sha256>} on 127.0.0.1: 200 with the raw
 * bytes, 404 when the body is not (or no longer) here; and the log under the same URL, as the
 * node's live checks ask for it (docs/verification.md, "What a provider serves"):
 * {@code /bodies/log/head}, {@code /bodies/log/inclusion/<index>/<size>},
 * {@code /bodies/log/consistency/<old>/<new>}. Read-only, a few threads, no other path.
 */
public final class BodyServer implements AutoCloseable {
    public static final String PATH = "/bodies/";
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final BodyStore store;
    private static final Pattern LOG = Pattern.compile("log/(inclusion|consistency)/([0-9]{1,18})/([0-9]{1,18})");
    private volatile AttestationLog log;

    private BodyServer(HttpServer server, BodyStore store) {
        this.server = server;
        this.store = store;
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port). */
    public static BodyServer start(BodyStore store, int port) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            var bodies = new BodyServer(server, store);
            server.createContext("/", bodies::handle);
            server.setExecutor(bodies.threads);
            server.start();
            return bodies;
        } catch (IOException e) {
            throw new ProviderException("port_unavailable", "cannot serve bodies on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** Serves this log's head and proofs from now on (the log opens after registering, which needs the URL). */
    public void serveLog(AttestationLog log) {
        this.log = log;
    }

    /** Where the node and verifiers fetch bodies: append the hex digest. */
    public URI bodiesUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bodies");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method_not_allowed", "bodies are read with GET");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String name = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
            Optional<byte[]> body = name.startsWith("log/") ? logRecord(name) : path.startsWith(PATH) ? store.get(name) : Optional.empty();
            if (body.isEmpty()) {
                reply(exchange, 404, "body_not_found", "no body with that digest is stored here");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : body.get().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body.get());
                }
            }
        } catch (UncheckedIOException e) {
            // A store that cannot be read is this provider's fault, said in a fixed sentence.
            reply(exchange, 500, "internal_error", "the body store cannot be read");
        }
    }

    /** The head's canonical bytes, or a proof's hashes concatenated (32 bytes each); empty when the log has none. */
    private Optional<byte[]> logRecord(String name) {
        AttestationLog served = log;
        if (served == null) return Optional.empty();
        if (name.equals("log/head")) return Optional.of(served.head().encode());
        Matcher m = LOG.matcher(name);
        if (!m.matches()) return Optional.empty();
        long a = Long.parseLong(m.group(2));
        long b = Long.parseLong(m.group(3));
        var hashes = m.group(1).equals("inclusion") ? served.inclusion(a, b).map(p -> p.path())
                : served.consistency(a, b).map(p -> p.path());
        return hashes.map(list -> {
            var out = new java.io.ByteArrayOutputStream();
            list.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    private static void reply(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] json = ("{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
