package dev.forge.node.http;

import dev.forge.node.ForgeNode;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.node.app.CallRefused;
import dev.forge.node.app.SafetyService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The economy over REST, under {@code /v1/forge/}: each call is the MCP tool of the same name
 * (the same handler, checks and codes), reading its arguments from the query string (GET, each
 * read as the type the tool declares for it) or the JSON body (POST).
 */
@Path("/v1/forge")
@Produces(MediaType.APPLICATION_JSON)
public class EconomyResource {
    public static final Set<String> READS = Set.of("balance", "pricing", "trades", "network", "providers", "safety", "loans",
            "pool", "credit", "route");
    public static final Set<String> WRITES = Set.of("lend", "withdraw", "borrow", "repay", "offer", "move_funds");

    @Inject
    ForgeNode node;

    private ForgeMcp tools() {
        return node.tools();
    }

    @GET
    @Path("/{call}")
    public Map<String, Object> read(@PathParam("call") String call, @Context UriInfo uri, @Context ContainerRequestContext context) {
        if (!READS.contains(call)) throw new CallRefused("not_found", "no GET /v1/forge/" + call);
        Map<String, String> arguments = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> arguments.put(name, values.getFirst()));
        return tools().invokeText(call, ApiAuth.actor(context), arguments);
    }

    @POST
    @Path("/{call}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> write(@PathParam("call") String call, Map<String, Object> body,
                                     @Context ContainerRequestContext context) {
        if (!WRITES.contains(call)) throw new CallRefused("not_found", "no POST /v1/forge/" + call);
        return tools().invoke(call, ApiAuth.actor(context), body == null ? Map.of() : body);
    }

    /** Sets an agent's budget policy (operator only): amounts in CU, and whether its client is attended. */
    @POST
    @Path("/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    public SafetyService.Safety policy(SafetyService.PolicyRequest request, @Context ContainerRequestContext context) {
        return node.safety().setPolicy(ApiAuth.actor(context), request);
    }
}
