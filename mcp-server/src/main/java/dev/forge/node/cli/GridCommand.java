package dev.forge.node.cli;

import dev.forge.grid.LocalCluster;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code forge grid}: the grid's own commands (docs/grid.md). */
@Command(name = "grid", mixinStandardHelpOptions = true, description = "The grid of nodes over NATS JetStream (docs/grid.md).",
        subcommands = GridCommand.Up.class)
final class GridCommand {
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Starts a local three-server NATS JetStream cluster (the nats-server on PATH, or /usr/sbin) on "
                    + "127.0.0.1 for trying the grid on one machine, prints its URLs and the --grid option for "
                    + "./forge node, and runs until Ctrl-C, which stops the servers.",
                    "The folder keeps each server's config, store and log, so a second run finds the stream again."})
    static final class Up implements Callable<Integer> {
        @Option(names = "--folder", paramLabel = "DIR", description = "configs, stores and logs (default: ${DEFAULT-VALUE})",
                defaultValue = "${sys:user.home}/.forge/grid")
        Path folder;

        @Option(names = "--port", paramLabel = "N", description = "the first server's client port; the others follow it, "
                + "routes at N+2000, monitoring at N+4000 (default: ${DEFAULT-VALUE})", defaultValue = "4222")
        int port;

        @Override
        public Integer call() throws Exception {
            if (port < 1024 || port > 65_535 - 4_002) throw new CliException("--port must be 1024 to 61533");
            LocalCluster cluster;
            try {
                cluster = LocalCluster.start(folder, LocalCluster.fixedPorts(3, port), Optional.empty());
            } catch (IllegalStateException e) {
                throw new CliException(e.getMessage());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
            String urls = String.join(",", cluster.urls());
            System.out.println(urls);
            System.err.println("forge: grid up, three NATS servers with JetStream, data in " + folder);
            System.err.println("  join it:  ./forge node --grid " + urls + " --data DIR --port PORT");
            System.err.println("  stop it:  Ctrl-C");
            while (cluster.alive()) Thread.sleep(1_000);
            System.err.println("forge: a NATS server of the grid exited; see " + folder + "/n*.log");
            cluster.close();
            return 1;
        }
    }
}
