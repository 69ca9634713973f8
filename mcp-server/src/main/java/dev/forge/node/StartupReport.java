package dev.forge.node;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * When the node listens: writes its address to {@code node.address} (and its pid to {@code node.pid})
 * in the data folder, so the CLI given {@code --data} finds it, and tells the operator on stderr
 * where everything is. A clean stop removes both files.
 */
@ApplicationScoped
public class StartupReport {
    public static final String ADDRESS_FILE = "node.address";
    public static final String PID_FILE = "node.pid";

    @ConfigProperty(name = "forge.data", defaultValue = "${user.home}/.forge/node")
    String data;

    // Looked up only for the banner: a clean stop must not reopen a node that is already closed.
    private final Instance<ForgeNode> node;
    private volatile boolean written;

    StartupReport(Instance<ForgeNode> node) {
        this.node = node;
    }

    // Quarkus fires this one asynchronously, once the port is open.
    void listening(@ObservesAsync HttpServerStart started) {
        String address = "http://" + host(started) + ":" + port(started);
        Path folder = Path.of(data);
        // The banner first: whoever finds node.address can also read where everything is.
        System.err.println(banner(address, folder));
        try {
            Files.writeString(folder.resolve(ADDRESS_FILE), address + "\n");
            Files.writeString(folder.resolve(PID_FILE), ProcessHandle.current().pid() + "\n");
            written = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(ADDRESS_FILE), e);
        }
    }

    void stopping(@Observes ShutdownEvent stopped) {
        if (!written) return;
        try {
            Files.deleteIfExists(Path.of(data).resolve(ADDRESS_FILE));
            Files.deleteIfExists(Path.of(data).resolve(PID_FILE));
        } catch (IOException e) {
            System.err.println("forge: could not remove " + ADDRESS_FILE + ": " + e.getMessage());
        }
    }

    String banner(String address, Path folder) {
        String models = node.get().engine().models().stream().map(m -> m.name() + " (" + m.tier().name().toLowerCase() + ")")
                .collect(Collectors.joining(", "));
        String dataOption = " --data " + folder;
        return String.join("\n",
                "forge: node ready, data in " + folder,
                "  MCP           " + address + "/mcp",
                "  operator page " + address + "/   (sign in with the token in " + folder.resolve("operator_token") + ")",
                "  metrics       " + address + "/metrics",
                "  models        " + (models.isEmpty() ? "none (chat is off; start with --model)" : models),
                "  create an agent:       ./forge account create NAME" + dataOption,
                "  add it to Claude Code: claude mcp add --transport http forge " + address
                        + "/mcp --header \"Authorization: Bearer TOKEN\"");
    }

    private static String host(HttpServerStart started) {
        String host = started.options().getHost();
        return host == null || host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }

    /**
     * The port the server listens on. Asked for port 0, Quarkus binds a free one and publishes it
     * (in the server's options, the system property and the config) around the time this event
     * fires, not always before it: a node once wrote port 0 into node.address. So it is read until
     * one of them says, for at most 5 s.
     */
    private static int port(HttpServerStart started) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = boundPort(started);
            if (port > 0) return port;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("the HTTP server did not say which port it listens on");
    }

    private static int boundPort(HttpServerStart started) {
        if (started.options().getPort() > 0) return started.options().getPort();
        Integer property = Integer.getInteger("quarkus.http.port");
        if (property != null && property > 0) return property;
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(0);
    }
}
