package dev.forge.node.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a node in the background (for {@code forge mcp --data DIR}) and waits until it answers. */
final class NodeStarter {
    private final Path data;
    private final URI address;
    private final List<String> models;

    NodeStarter(Path data, URI address, List<String> models) {
        this.data = data;
        this.address = address;
        this.models = models;
    }

    void start() throws IOException, InterruptedException {
        String launcher = System.getProperty("forge.launcher");
        if (launcher == null) throw new CliException("no node answers at " + address + "; start one with ./forge node");
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(launcher, "node", "--data", data.toString(),
                "--port", String.valueOf(address.getPort())));
        for (String m : models) command.addAll(List.of("--model", m));
        Path log = data.resolve("node.log");
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        System.err.println("forge: started a node for " + data + " (log: " + log + ")");
        var client = new NodeClient(address, "");
        for (int i = 0; i < 600; i++) {
            if (client.answers()) return;
            Thread.sleep(100);
        }
        throw new CliException("the node did not answer within 60 s; see " + log);
    }
}
