package dev.forge.grid;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** A NATS connection for the grid: every server of the cluster, reconnecting forever. */
public final class GridConnection {
    private GridConnection() {}

    public static Connection connect(List<String> servers, String name) throws IOException, InterruptedException {
        if (servers.isEmpty()) throw new IllegalArgumentException("the grid needs at least one server");
        var options = Options.builder().servers(servers.toArray(String[]::new)).connectionName(name)
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(5)).build();
        return Nats.connectReconnectOnConnect(options);
    }
}
