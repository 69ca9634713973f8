package dev.forge.node.http;

import dev.forge.node.ForgeNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /health}: open to all, says whether the node serves and how much it holds. */
@Path("/health")
public class HealthResource {
    @Inject
    ForgeNode node;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> health() {
        return Map.of("status", "up", "models", node.engine().models().size(), "trades", node.ledger().logSize(),
                "kill_switch", node.pipeline().killState().active(),
                "audit", node.pipeline().audit().accepting() ? "recording" : "stopped");
    }
}
