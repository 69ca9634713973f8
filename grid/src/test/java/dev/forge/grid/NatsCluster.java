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
import java.util.stream.Collectors;

/**
 * Real {@code nats-server} processes (the one on PATH, Debian's 2.9.10 here) forming a loopback
 * JetStream cluster, each with its own config file, store folder and free ports. A server can
 * be killed (SIGKILL) and started again on the same store.
 */
final class NatsCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private record Server(String name, int clientPort, int clusterPort, int httpPort, Path config) {}

    private final Path directory;
    private final List<Server> servers = new ArrayList<>();
    private final Process[] processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    NatsCluster(Path directory, int size) throws IOException, InterruptedException {
        this.directory = directory;
        this.processes = new Process[size];
        int[] ports = freePorts(size * 3);
        for (int i = 0; i < size; i++) {
            servers.add(new Server("n" + (i + 1), ports[i], ports[size + i], ports[2 * size + i],
                    directory.resolve("n" + (i + 1) + ".conf")));
        }
        for (Server server : servers) Files.writeString(server.config(), config(server));
        for (int i = 0; i < size; i++) start(i);
        for (int i = 0; i < size; i++) awaitReady(i);
    }

    private String config(Server server) {
        String routes = servers.stream().map(s -> "nats-route://127.0.0.1:" + s.clusterPort()).collect(Collectors.joining(", "));
        String cluster = servers.size() == 1 ? ""
                : "cluster { name: forge, listen: 127.0.0.1:%d, routes: [%s] }%n".formatted(server.clusterPort(), routes);
        return """
                server_name: %s
                listen: 127.0.0.1:%d
                http: 127.0.0.1:%d
                jetstream { store_dir: "%s", max_memory_store: 64MB, max_file_store: 256MB }
                """.formatted(server.name(), server.clientPort(), server.httpPort(),
                directory.resolve(server.name()).toString()) + cluster;
    }

    void start(int index) throws IOException {
        Server server = servers.get(index);
        processes[index] = new ProcessBuilder("nats-server", "-c", server.config().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(server.name() + ".log").toFile()))
                .start();
    }

    /** Waits for {@code /healthz?js-enabled-only=true} to answer 200. */
    void awaitReady(int index) throws InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servers.get(index).httpPort()
                + "/healthz?js-enabled-only=true")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes[index].isAlive()) throw new IllegalStateException(servers.get(index).name() + " exited");
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(servers.get(index).name() + " not ready in " + READY_TIMEOUT);
    }

    /** SIGKILL: the server gets no chance to flush or say goodbye. */
    void kill(int index) throws InterruptedException {
        processes[index].destroyForcibly().waitFor();
    }

    List<String> urls() {
        return servers.stream().map(s -> "nats://127.0.0.1:" + s.clientPort()).toList();
    }

    String url(int index) {
        return urls().get(index);
    }

    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                var socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) socket.close();
        }
        return ports;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            if (process != null) process.destroyForcibly().waitFor();
        }
    }
}
