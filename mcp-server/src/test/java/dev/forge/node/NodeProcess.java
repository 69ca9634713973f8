package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged node ({@code target/quarkus-app/quarkus-run.jar}) as its own process, as {@code ./forge node} runs it. */
final class NodeProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    /** The JVM and the flags the launcher gives it (jlama's Vector API and native access). */
    private static final List<String> JVM = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
    final Path data;
    final Path stderr;
    final Process process;

    private NodeProcess(Path data, Path stderr, Process process) {
        this.data = data;
        this.stderr = stderr;
        this.process = process;
    }

    /** *IT tests run only after package (see the pom's node-process execution), when the jar is this build's. */
    static void requirePackaged() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("forge.packaged"), "runs after package, with the packaged node");
    }

    /** A node on a random port; {@code model} is a folder or catalog name. */
    static NodeProcess start(Path data, String model) throws IOException {
        return start(data, model, 0);
    }

    /** {@code properties}: more {@code -Dname=value} settings, e.g. a short {@code forge.verify.period}. */
    static NodeProcess start(Path data, String model, int port, String... properties) throws IOException {
        Path stderr = Files.createTempFile("forge-node", ".err");
        List<String> command = new ArrayList<>(JVM);
        command.addAll(List.of("-Dforge.data=" + data, "-Dquarkus.http.port=" + port, "-Dforge.models=" + model));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", JAR.toString()));
        var process = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new NodeProcess(data, stderr, process);
    }

    /** A {@code forge} CLI command ({@code provide}, {@code agent}, ...) run from the packaged node's classes, as the launcher runs it. */
    static List<String> cli(String... arguments) {
        String app = JAR.getParent().toString();
        List<String> command = new ArrayList<>(JVM);
        command.addAll(List.of("-cp", app + "/app/*:" + app + "/lib/main/*", "dev.forge.node.cli.Forge"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** What a {@code forge} command printed, once it ended with exit 0. */
    record Ended(String out, String err) {
    }

    /**
     * Runs a {@code forge} command ({@link #cli}) to its end, its output in {@code folder}'s
     * siblings demo.out and demo.err; fails the test if it takes over 10 minutes or exits non-zero.
     */
    static Ended runToEnd(Path folder, String... arguments) throws IOException, InterruptedException {
        Path stdout = folder.resolveSibling("demo.out");
        Path stderr = folder.resolveSibling("demo.err");
        Process process = new ProcessBuilder(cli(arguments)).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("forge " + arguments[0] + " did not end in 10 minutes:\n" + Files.readString(stderr));
        }
        var ended = new Ended(Files.readString(stdout), Files.readString(stderr));
        assertEquals(0, process.exitValue(), ended.out() + "\n" + ended.err());
        return ended;
    }

    /** The address the node wrote in its data folder once it listens. */
    String awaitAddress() throws Exception {
        Path file = data.resolve(StartupReport.ADDRESS_FILE);
        for (int i = 0; i < 1200; i++) {
            if (Files.exists(file)) return Files.readString(file).strip();
            if (!process.isAlive()) throw new AssertionError("the node died: " + stderrText());
            Thread.sleep(100);
        }
        throw new AssertionError("no " + file + " after 120 s: " + stderrText());
    }

    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("the node did not exit");
        return process.exitValue();
    }

    /** stderr without the JVM's one-line notice that the Vector API is an incubator module. */
    List<String> stderrLines() throws IOException {
        return Files.readAllLines(stderr).stream().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }

    String stderrText() throws IOException {
        return String.join("\n", stderrLines());
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: a clean stop
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
