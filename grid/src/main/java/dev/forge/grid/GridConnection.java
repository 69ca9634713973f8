package dev.forge.grid;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A NATS connection for the grid: every server of the cluster, reconnecting forever. */
public final class GridConnection {
    /** The first line of a NATS {@code .creds} file (a user JWT and its NKey seed). */
    static final String CREDS_MARKER = "-----BEGIN NATS USER JWT-----";
    private static final long MAX_CREDENTIALS_BYTES = 16 * 1024;

    private GridConnection() {}

    public static Connection connect(List<String> servers, String name) throws IOException, InterruptedException {
        return connect(servers, name, Optional.empty());
    }

    /**
     * @param credentials a NATS {@code .creds} file (JWT and seed) or a file holding only a user
     *                    NKey seed ({@code SU...}), as the servers' {@code authorization} asks
     */
    public static Connection connect(List<String> servers, String name, Optional<Path> credentials)
            throws IOException, InterruptedException {
        if (servers.isEmpty()) throw new IllegalArgumentException("the grid needs at least one server");
        var options = Options.builder().servers(servers.toArray(String[]::new)).connectionName(name)
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(5));
        if (credentials.isPresent()) options.authHandler(authHandler(credentials.get()));
        return Nats.connectReconnectOnConnect(options.build());
    }

    /** Reads the file once to tell its kind: a bad file is refused here, not on every reconnect. */
    static AuthHandler authHandler(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_CREDENTIALS_BYTES) {
            throw new IOException("grid credentials " + file + " are not a readable file of at most 16 KiB");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.contains(CREDS_MARKER)) return Nats.credentials(file.toString());
        String seed = text.strip();
        if (!seed.matches("SU[A-Z2-7]{56}")) {
            throw new IOException("grid credentials " + file + " are neither a .creds file nor a user NKey seed (SU...)");
        }
        return Nats.staticCredentials(null, seed.toCharArray());
    }
}
