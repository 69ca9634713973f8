package dev.forge.node.http;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.node.ForgeNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /health}: open to all, says whether the node serves and how much it holds. */
@Path("/health")
public class HealthResource {
    @Inject
    ForgeNode node;

    public record Health(
            @JsonPropertyDescription("up: the node answers") String status,
            @JsonPropertyDescription("models it serves") int models,
            @JsonPropertyDescription("entries in its Merkle log") long trades,
            @JsonPropertyDescription("spending is frozen") boolean killSwitch,
            @JsonPropertyDescription("recording, or stopped (then every spend is refused)") String audit) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Health health() {
        return new Health("up", node.engine().models().size(), node.ledger().logSize(), node.pipeline().killState().active(),
                node.pipeline().audit().accepting() ? "recording" : "stopped");
    }
}
