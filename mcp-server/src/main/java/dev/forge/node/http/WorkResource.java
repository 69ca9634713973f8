package dev.forge.node.http;

import dev.forge.node.ForgeNode;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.node.app.CallRefused;
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
import java.util.Map;
import java.util.Set;

/**
 * The work-order calls over REST (docs/work.md): {@code POST /v1/forge/work/<tool>} with the
 * tool's arguments as the JSON body, and {@code GET /v1/forge/verify/<provider>}. Each is the
 * MCP tool of the same name: the same handler, bounds and codes.
 */
@Path("/v1/forge")
@Produces(MediaType.APPLICATION_JSON)
public class WorkResource {
    private static final Set<String> CALLS = Set.of("register_key", "submit_order", "submit_eval", "open_orders", "take_order", "deliver",
            "order_status", "verify");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Inject
    ForgeNode node;

    private ForgeMcp tools() {
        return node.tools();
    }

    @POST
    @Path("/work/{call}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> call(@PathParam("call") String call, Map<String, Object> body,
                                    @Context ContainerRequestContext context) {
        if (!CALLS.contains(call)) throw new CallRefused("not_found", "no POST /v1/forge/work/" + (call.length() <= 32 ? call : "…"));
        return tools().invoke(call, ApiAuth.actor(context), body == null ? Map.of() : body);
    }

    /** The DSSE envelopes of a settled order's in-toto Statement and of the node's verdict now (docs/verification.md, "Export"). */
    @GET
    @Path("/work/export/{order_id}")
    public Map<String, Object> export(@PathParam("order_id") String orderId, @Context ContainerRequestContext context) {
        if (!orderId.matches("[0-9]{1,18}")) throw new CallRefused("invalid_argument", "order_id must be a decimal order id");
        var export = node.work().export(ApiAuth.actor(context), Long.parseLong(orderId));
        return Map.of("order_id", export.orderId(), "statement", json(export.statement()), "verdict", json(export.verdict()),
                "verification_result", export.verificationResult(), "key_id", export.keyId());
    }

    private static Object json(byte[] envelope) {
        try {
            return JSON.readValue(envelope, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an envelope the node wrote is not JSON", e);
        }
    }

    @GET
    @Path("/verify/{provider}")
    public Map<String, Object> verify(@PathParam("provider") String provider, @Context ContainerRequestContext context) {
        return tools().invoke("verify", ApiAuth.actor(context), Map.of("provider", provider));
    }
}
