package dev.forge.node;

import dev.forge.node.grid.GridOptions;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Quarkus hosts one {@link ForgeNode}: opened at start, closed on shutdown (SIGTERM included). */
@ApplicationScoped
public class NodeBean {
    @ConfigProperty(name = "forge.data", defaultValue = "${user.home}/.forge/node")
    String data;

    @ConfigProperty(name = "forge.models")
    Optional<List<String>> models;

    @ConfigProperty(name = "forge.verify.period", defaultValue = "60s")
    Duration verifyPeriod;

    /** {@code forge node --grid}: comma-separated nats://HOST:PORT; absent, the node works alone. */
    @ConfigProperty(name = "forge.grid")
    Optional<String> grid;

    @ConfigProperty(name = "forge.grid.creds")
    Optional<String> gridCredentials;

    @ConfigProperty(name = "forge.grid.replicas")
    Optional<String> gridReplicas;

    /** What another node may owe this one, in CU, before its vouches are refused (docs/grid.md). */
    @ConfigProperty(name = "forge.grid.peer-credit")
    Optional<String> gridPeerCredit;

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private ForgeNode node;
    private PriceHistory prices;

    void start(@Observes StartupEvent started) {
        node();
    }

    @Produces
    @Unremovable // looked up by the servlet listener, which CDI cannot see
    public synchronized ForgeNode node() {
        if (node == null) {
            node = open(withGrid(NodeSettings.of(Path.of(data), models.orElse(List.of())).withVerifyPeriod(verifyPeriod)));
            node.metrics().register(node);
            prices = new PriceHistory(node, 5_000, 720);
        }
        return node;
    }

    private NodeSettings withGrid(NodeSettings settings) {
        if (grid.isEmpty() || grid.get().isBlank()) return settings;
        try {
            return settings.withGrid(GridOptions.parse(grid.get(), gridCredentials, gridReplicas)
                .withPeerCredit(gridPeerCredit));
        } catch (IllegalArgumentException e) {
            throw new NodeStartException(e.getMessage(), e);
        }
    }

    /** A refusal to start propagates: {@link Main} says it in two lines, whoever asked first (the servlet or the startup event). */
    private ForgeNode open(NodeSettings settings) {
        return ForgeNode.open(settings, java.time.InstantSource.system(), new NodeMetrics(registry));
    }

    @Produces
    @Unremovable
    public synchronized PriceHistory prices() {
        node();
        return prices;
    }

    void stop(@Observes ShutdownEvent stopping) {
        synchronized (this) {
            if (prices != null) prices.close();
            if (node != null) node.close();
            node = null;
        }
    }
}
