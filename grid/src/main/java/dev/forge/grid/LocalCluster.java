package dev.forge.grid;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A JetStream cluster of {@code nats-server} processes on loopback, for trying the grid on one
 * machine ({@code forge grid up}) and for tests: one config file, store folder and log per
 * server in {@code folder}, the config of docs/grid.md. A server can be killed (SIGKILL) and
 * started again on the same store. Optionally every client must sign in with one user NKey.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    public static final int MAX_SERVERS = 5;

    /** One server's ports. */
    public record Ports(int client, int cluster, int http) {}

    private record Server(String name, Ports ports, Path config) {}

    private final Path folder;
    private final List<Server> servers = new ArrayList<>();
    private final Process[] processes;
    private final String executable;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalCluster(Path folder, List<Ports> ports, Optional<String> userNkey) throws IOException {
        if (ports.isEmpty() || ports.size() > MAX_SERVERS) throw new IllegalArgumentException("1 to 5 servers");
        this.folder = folder;
        this.processes = new Process[ports.size()];
        this.executable = executable();
        Files.createDirectories(folder);
        for (int i = 0; i < ports.size(); i++) {
            servers.add(new Server("n" + (i + 1), ports.get(i), folder.resolve("n" + (i + 1) + ".conf")));
        }
        for (Server server : servers) Files.writeString(server.config(), config(server, userNkey));
    }

    /** Starts the servers and waits until each one's JetStream is ready. */
    public static LocalCluster start(Path folder, List<Ports> ports, Optional<String> userNkey)
            throws IOException, InterruptedException {
        var cluster = new LocalCluster(folder, ports, userNkey);
        try {
            for (int i = 0; i < ports.size(); i++) cluster.start(i);
            for (int i = 0; i < ports.size(); i++) cluster.awaitReady(i);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Ports from {@code client} on: clients at client+i, routes at 6222+(client-4222)+i, monitoring at 8222+... */
    public static List<Ports> fixedPorts(int size, int client) {
        List<Ports> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) ports.add(new Ports(client + i, client + 2000 + i, client + 4000 + i));
        return ports;
    }

    /** Ports nobody listens on now. */
    public static List<Ports> freePorts(int size) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        List<Ports> ports = new ArrayList<>();
        try {
            for (int i = 0; i < size * 3; i++) sockets.add(new ServerSocket(0));
            for (int i = 0; i < size; i++) {
                ports.add(new Ports(sockets.get(i).getLocalPort(), sockets.get(size + i).getLocalPort(),
                        sockets.get(2 * size + i).getLocalPort()));
            }
        } finally {
            for (ServerSocket socket : sockets) socket.close();
        }
        return ports;
    }

    private String config(Server server, Optional<String> userNkey) {
        String routes = servers.stream().map(s -> "nats-route://127.0.0.1:" + s.ports().cluster())
                .collect(Collectors.joining(", "));
        String cluster = servers.size() == 1 ? ""
                : "cluster { name: forge, listen: 127.0.0.1:%d, routes: [%s] }%n".formatted(server.ports().cluster(), routes);
        String authorization = userNkey.map(key -> "authorization { users: [ { nkey: %s } ] }%n".formatted(key)).orElse("");
        return """
                server_name: %s
                listen: 127.0.0.1:%d
                http: 127.0.0.1:%d
                jetstream { store_dir: "%s", max_memory_store: 64MB, max_file_store: 256MB }
                """.formatted(server.name(), server.ports().client(), server.ports().http(),
                folder.resolve(server.name()).toString()) + cluster + authorization;
    }

    /** Starts server {@code index} (again, after a kill) on its own store. */
    public void start(int index) throws IOException {
        Server server = servers.get(index);
        processes[index] = new ProcessBuilder(executable, "-c", server.config().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve(server.name() + ".log").toFile()))
                .start();
    }

    /** Waits for {@code /healthz?js-enabled-only=true} to answer 200. */
    public void awaitReady(int index) throws InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servers.get(index).ports().http()
                + "/healthz?js-enabled-only=true")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes[index].isAlive()) {
                throw new IllegalStateException(servers.get(index).name() + " exited; see " + log(index));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(servers.get(index).name() + " not ready in " + READY_TIMEOUT + "; see " + log(index));
    }

    public Path log(int index) {
        return folder.resolve(servers.get(index).name() + ".log");
    }

    /** SIGKILL: the server gets no chance to flush or say goodbye. */
    public void kill(int index) throws InterruptedException {
        processes[index].destroyForcibly().waitFor();
    }

    public boolean alive() {
        for (Process process : processes) if (process == null || !process.isAlive()) return false;
        return true;
    }

    public List<String> urls() {
        return servers.stream().map(s -> "nats://127.0.0.1:" + s.ports().client()).toList();
    }

    /** The {@code nats-server} on PATH, or Debian's in /usr/sbin (not on a user's PATH). */
    static String executable() {
        List<String> places = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) if (!dir.isEmpty()) places.add(dir);
        places.add("/usr/sbin");
        for (String dir : places) {
            Path candidate = Path.of(dir, "nats-server");
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        throw new IllegalStateException("no nats-server on PATH or in /usr/sbin (Debian: sudo apt-get install -y nats-server)");
    }

    /** Stops every server: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) if (process != null) process.destroy();
        for (Process process : processes) {
            if (process != null && !process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
