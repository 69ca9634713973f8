package dev.forge.node.http;

import dev.forge.economy.market.Cu;
import dev.forge.node.ForgeNode;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operator's calls (the CLI uses them): accounts, the kill switch, approvals. */
@Path("/v1/forge")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OperatorResource {
    @Inject
    ForgeNode node;

    public record AccountRequest(String id) {
    }

    public record Reason(String reason) {
    }

    @POST
    @Path("/accounts")
    public Map<String, Object> createAccount(AccountRequest request, @Context ContainerRequestContext context) {
        requireOperator(context, "create accounts");
        if (request == null || request.id() == null) throw new IllegalArgumentException("give the new account's id");
        String token = node.createAgent(request.id());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account", request.id());
        out.put("token", token);
        out.put("balance_cu", Cu.format(node.ledger().account(request.id()).orElseThrow().balance()));
        return out;
    }

    @POST
    @Path("/kill")
    public Map<String, Object> kill(Reason reason, @Context ContainerRequestContext context) {
        node.pipeline().kill(ApiAuth.actor(context), reason == null || reason.reason() == null ? "no reason given" : reason.reason());
        return killState();
    }

    @POST
    @Path("/kill/release")
    public Map<String, Object> release(Reason reason, @Context ContainerRequestContext context) {
        node.pipeline().release(ApiAuth.actor(context), reason == null || reason.reason() == null ? "released" : reason.reason());
        return killState();
    }

    @GET
    @Path("/approvals")
    public List<Map<String, Object>> approvals(@Context ContainerRequestContext context) {
        requireOperator(context, "see the approval queue");
        return node.pipeline().pendingApprovals().stream().map(dev.forge.node.mcp.SafetyTools::approval).toList();
    }

    @POST
    @Path("/approvals/{id}/approve")
    public Map<String, Object> approve(@PathParam("id") String id, Reason reason, @Context ContainerRequestContext context) {
        node.pipeline().approve(ApiAuth.actor(context), id, reason == null || reason.reason() == null ? "approved" : reason.reason());
        return Map.of("approval_id", id, "status", "approved");
    }

    @POST
    @Path("/approvals/{id}/deny")
    public Map<String, Object> deny(@PathParam("id") String id, Reason reason, @Context ContainerRequestContext context) {
        node.pipeline().deny(ApiAuth.actor(context), id, reason == null || reason.reason() == null ? "denied" : reason.reason());
        return Map.of("approval_id", id, "status", "denied");
    }

    private Map<String, Object> killState() {
        var k = node.pipeline().killState();
        return Map.of("active", k.active(), "by", k.by(), "reason", k.reason());
    }

    private static void requireOperator(ContainerRequestContext context, String what) {
        Actor actor = ApiAuth.actor(context);
        PolicyException.require(actor.isOperator(), Refusal.UNAUTHORIZED, "only the operator may " + what);
    }
}
