package dev.forge.node.cli;

import dev.forge.node.StartupReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a node in the background (for {@code forge mcp}) through the launcher and waits until it
 * has written its address in the data folder and answers. The node outlives this process.
 */
final class NodeStarter {
    private static final int WAIT_TENTHS = 1200;
    private final Path data;
    private final int port;
    private final List<String> models;

    NodeStarter(Path data, int port, List<String> models) {
        // A node is started on 127.0.0.1:port; the address it records is the one used.
        this.data = data;
        this.port = port;
        this.models = models;
    }

    /** The started node's address. */
    URI start() throws IOException, InterruptedException {
        String launcher = System.getProperty("forge.launcher");
        if (launcher == null) {
            throw new CliException("no node answers at 127.0.0.1:" + port + " for " + data + "; start one with ./forge node --data " + data);
        }
        Files.createDirectories(data);
        Files.deleteIfExists(data.resolve(StartupReport.ADDRESS_FILE)); // left by a node that was killed
        Path log = data.resolve("node.log");
        Process node = new ProcessBuilder(command(launcher)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        System.err.println("forge: starting a node for " + data + " (log: " + log + "; it keeps running: kill $(cat "
                + data.resolve(StartupReport.PID_FILE) + ") stops it)");
        return awaitAddress(node, log);
    }

    private List<String> command(String launcher) {
        List<String> command = new ArrayList<>(List.of(launcher, "node", "--data", data.toString(), "--port", String.valueOf(port)));
        for (String m : models) command.addAll(List.of("--model", m));
        return command;
    }

    private URI awaitAddress(Process node, Path log) throws IOException, InterruptedException {
        Path file = data.resolve(StartupReport.ADDRESS_FILE);
        for (int i = 0; i < WAIT_TENTHS; i++) {
            if (Files.exists(file)) {
                URI address = URI.create(Files.readString(file).strip());
                if (new NodeClient(address, "").answers()) return address;
            }
            if (!node.isAlive()) throw new CliException("the node could not start: " + lastLines(log));
            Thread.sleep(100);
        }
        throw new CliException("the node did not answer within " + WAIT_TENTHS / 10 + " s; see " + log);
    }

    /** The node's own two-line startup failure, from the end of its log. */
    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank() && !l.startsWith("WARNING:")).toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 2), lines.size())).strip();
    }
}
