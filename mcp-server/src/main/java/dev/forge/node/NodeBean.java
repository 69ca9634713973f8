package dev.forge.node;

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
            node = open(NodeSettings.of(Path.of(data), models.orElse(List.of())).withVerifyPeriod(verifyPeriod));
            node.metrics().register(node);
            prices = new PriceHistory(node, 5_000, 720);
        }
        return node;
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
