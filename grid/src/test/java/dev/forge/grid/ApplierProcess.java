package dev.forge.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** An {@link ApplierMain} in its own JVM, with its own MapDB folder and NATS connection. */
final class ApplierProcess implements AutoCloseable {
    private final Path directory;
    private final List<String> servers;
    private Process process;

    ApplierProcess(Path directory, List<String> servers) throws IOException {
        this.directory = directory;
        this.servers = servers;
        Files.createDirectories(directory);
        start();
    }

    void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                ApplierMain.class.getName(), directory.resolve("store").toString(), state().toString(),
                String.join(",", servers))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("applier.log").toFile()))
                .start();
    }

    /** SIGKILL: no shutdown hook, no MapDB close; the next start must recover from the file. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        try {
            Files.deleteIfExists(state());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String tail() {
        try {
            String log = log();
            return log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String log() throws IOException {
        return Files.readString(directory.resolve("applier.log"));
    }

    Path state() {
        return directory.resolve("state.txt");
    }

    String summary() {
        try {
            return Files.exists(state()) ? Files.readString(state()) : "";
        } catch (IOException raced) {
            return "";
        }
    }

    /** Waits until the summary satisfies {@code condition}; returns it, or fails with the last one seen. */
    String await(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = summary();
        while (System.nanoTime() < deadline) {
            last = summary();
            if (condition.test(last)) return last;
            if (!process.isAlive()) throw new IllegalStateException("applier exited:\n" + tail());
            Thread.sleep(200);
        }
        throw new AssertionError("applier in " + directory + " never got there; last state:\n" + last);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
