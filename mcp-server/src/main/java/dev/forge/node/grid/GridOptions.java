package dev.forge.node.grid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a node joins the grid: the NATS servers ({@code forge.grid}, comma-separated
 * {@code nats://HOST:PORT}), the credentials file NATS asks for ({@code forge.grid.creds}: a
 * {@code .creds} file or a user NKey seed file), and how many copies JetStream keeps of the
 * stream when this node is the one that creates it ({@code forge.grid.replicas}; default 3
 * when three or more servers are given, else 1).
 */
public record GridOptions(List<String> servers, Optional<Path> credentials, int replicas, long peerCredit) {
    public static final int MAX_SERVERS = 16;
    /** What another node may owe this one before its vouches are refused, unless {@code forge.grid.peer-credit} says: 100 CU. */
    public static final long DEFAULT_PEER_CREDIT = 100_000_000;
    private static final Pattern SERVER = Pattern.compile("(nats|tls)://[A-Za-z0-9.-]{1,253}:([0-9]{1,5})");

    public GridOptions {
        servers = List.copyOf(servers);
        if (servers.isEmpty() || servers.size() > MAX_SERVERS) {
            throw new IllegalArgumentException("--grid takes 1 to " + MAX_SERVERS + " NATS servers");
        }
        if (replicas < 1 || replicas > 5) throw new IllegalArgumentException("forge.grid.replicas must be 1 to 5");
        if (peerCredit < 0) throw new IllegalArgumentException("forge.grid.peer-credit must not be negative");
    }

    public GridOptions(List<String> servers, Optional<Path> credentials, int replicas) {
        this(servers, credentials, replicas, DEFAULT_PEER_CREDIT);
    }

    /** As these, with what a peer may owe this node ({@code forge.grid.peer-credit}, CU, strictly parsed). */
    public GridOptions withPeerCredit(Optional<String> cu) {
        if (cu.isEmpty() || cu.get().isBlank()) return this;
        long micro;
        try {
            micro = dev.forge.economy.market.Cu.parse(cu.get().strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("forge.grid.peer-credit takes CU such as 100 or 2.5, not '" + cu.get() + "'");
        }
        return new GridOptions(servers, credentials, replicas, micro);
    }

    /** Parses the settings strictly: anything but {@code nats://HOST:PORT[,...]} is refused with a sentence. */
    public static GridOptions parse(String servers, Optional<String> credentials, Optional<String> replicas) {
        List<String> urls = new ArrayList<>();
        for (String part : servers.split(",", -1)) {
            String url = part.strip();
            var match = SERVER.matcher(url);
            if (!match.matches() || Integer.parseInt(match.group(2)) < 1 || Integer.parseInt(match.group(2)) > 65_535) {
                throw new IllegalArgumentException("--grid takes nats://HOST:PORT[,nats://HOST:PORT...], not '" + url + "'");
            }
            urls.add(url);
        }
        if (urls.size() > MAX_SERVERS) throw new IllegalArgumentException("--grid takes at most " + MAX_SERVERS + " servers");
        int copies = replicas.map(GridOptions::replicas).orElse(urls.size() >= 3 ? 3 : 1);
        return new GridOptions(urls, credentials.filter(c -> !c.isBlank()).map(Path::of), copies);
    }

    private static int replicas(String text) {
        if (!text.matches("[1-5]")) throw new IllegalArgumentException("forge.grid.replicas must be 1 to 5, not '" + text + "'");
        return Integer.parseInt(text);
    }
}
