package dev.forge.node.demo;

import dev.forge.node.Identities;
import dev.forge.node.StartupReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's node: the packaged node this CLI runs from ({@code quarkus-run.jar} beside its
 * {@code app} folder), started as its own process on a free port of 127.0.0.1 with its data in
 * the demo's folder, as {@code ./forge node} starts it. Its log is {@code node.log} there.
 */
final class DemoNode implements AutoCloseable {
    private static final List<String> FLAGS = List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");
    private static final int WAIT_TENTHS = 1200;
    private final Process process;
    private final URI address;
    private final String operatorToken;

    private DemoNode(Process process, URI address, String operatorToken) {
        this.process = process;
        this.address = address;
        this.operatorToken = operatorToken;
    }

    static DemoNode start(Path data, Path log, List<Path> models) throws IOException, InterruptedException {
        return launch(data, log, models, List.of()).awaitStarted();
    }

    /** Starts the process with {@code properties} ({@code -Dname=value}) added; {@link #awaitStarted} waits for it to listen. */
    static Launched launch(Path data, Path log, List<Path> models, List<String> properties) throws IOException {
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(FLAGS);
        command.addAll(properties);
        command.addAll(List.of("-Dforge.data=" + data, "-Dquarkus.http.port=0",
                "-Dforge.models=" + String.join(",", models.stream().map(Path::toString).toList()), "-jar", nodeJar().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new Launched(process, data, log);
    }

    /** A node process started, not yet listening. */
    record Launched(Process process, Path data, Path log) {
        DemoNode awaitStarted() throws IOException, InterruptedException {
            try {
                URI address = awaitAddress(process, data, log);
                return new DemoNode(process, address, Identities.operatorToken(data));
            } catch (RuntimeException | IOException | InterruptedException e) {
                process.destroyForcibly();
                throw e;
            }
        }
    }

    /** {@code target/quarkus-app/quarkus-run.jar}: this class is in {@code target/quarkus-app/app/}. */
    static Path nodeJar() {
        try {
            Path jar = Path.of(DemoNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path runner = jar.getParent().getParent().resolve("quarkus-run.jar");
            if (!Files.isRegularFile(runner)) throw new DemoException("no packaged node at " + runner + " (run ./forge demo, which builds it)");
            return runner;
        } catch (java.net.URISyntaxException e) {
            throw new DemoException("cannot find the packaged node: " + e.getMessage());
        }
    }

    private static URI awaitAddress(Process process, Path data, Path log) throws IOException, InterruptedException {
        Path file = data.resolve(StartupReport.ADDRESS_FILE);
        for (int i = 0; i < WAIT_TENTHS; i++) {
            if (Files.exists(file)) {
                String text = Files.readString(file).strip();
                if (!text.isEmpty()) return URI.create(text);
            }
            if (!process.isAlive()) throw new DemoException("the node could not start; its log: " + log);
            Thread.sleep(100);
        }
        throw new DemoException("the node did not start within " + WAIT_TENTHS / 10 + " s; its log: " + log);
    }

    URI address() {
        return address;
    }

    String operatorToken() {
        return operatorToken;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the node closes its ledger cleanly
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
