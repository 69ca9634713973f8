package dev.forge.node.http;

import dev.forge.economy.market.Cu;
import dev.forge.node.ForgeNode;
import dev.forge.node.app.SafetyService;
import dev.forge.node.mcp.ToolSchemas;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.SafetyStatus;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's calls (the CLI uses them): accounts, the kill switch, approvals, and under
 * {@code /operator} the powers over a running node: tokens, the right to pull the kill switch,
 * velocity trips and circuit breakers. Every change takes effect at once and is kept on disk.
 */
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
        String why = reason == null || reason.reason() == null ? "no reason given" : reason.reason();
        return json(node.safety().kill(ApiAuth.actor(context), new SafetyService.KillRequest(why)));
    }

    @POST
    @Path("/kill/release")
    public Map<String, Object> release(Reason reason, @Context ContainerRequestContext context) {
        String why = reason == null || reason.reason() == null ? "released" : reason.reason();
        return json(node.safety().release(ApiAuth.actor(context), why));
    }

    @GET
    @Path("/approvals")
    public List<Map<String, Object>> approvals(@Context ContainerRequestContext context) {
        requireOperator(context, "see the approval queue");
        return node.safety().pendingApprovals().stream().map(OperatorResource::json).toList();
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

    public record KillRight(Boolean may_kill) {
    }

    /** Ends the agent's token: its next request on any surface (MCP sessions included) gets 401. */
    @POST
    @Path("/operator/agents/{agent}/revoke")
    public Map<String, Object> revoke(@PathParam("agent") String agent, @Context ContainerRequestContext context) {
        requireOperator(context, "revoke a token");
        node.identities().revoke(agent);
        return agentView(agent);
    }

    /** A new token for the agent (shown this once); the old one stops working. */
    @POST
    @Path("/operator/agents/{agent}/token")
    public Map<String, Object> rotate(@PathParam("agent") String agent, @Context ContainerRequestContext context) {
        requireOperator(context, "issue a token");
        String token = node.identities().rotate(agent);
        Map<String, Object> out = agentView(agent);
        out.put("token", token);
        return out;
    }

    @POST
    @Path("/operator/agents/{agent}/kill-right")
    public Map<String, Object> killRight(@PathParam("agent") String agent, KillRight right,
                                         @Context ContainerRequestContext context) {
        requireOperator(context, "give or take the right to pull the kill switch");
        if (right == null || right.may_kill() == null) throw new IllegalArgumentException("give may_kill: true or false");
        node.identities().setMayKill(agent, right.may_kill());
        return agentView(agent);
    }

    @GET
    @Path("/operator/agents")
    public List<Map<String, Object>> agents(@Context ContainerRequestContext context) {
        requireOperator(context, "see the agents");
        return node.identities().agents().stream().map(this::agentView).toList();
    }

    @POST
    @Path("/operator/velocity/{agent}/reset")
    public Map<String, Object> resetVelocity(@PathParam("agent") String agent, @Context ContainerRequestContext context) {
        requireOperator(context, "reset a velocity trip");
        if (node.identities().agentKey(agent).isEmpty()) throw new IllegalArgumentException("no agent " + agent);
        node.pipeline().resetVelocity(ApiAuth.actor(context), agent);
        return Map.of("agent", agent, "velocity_tripped", false);
    }

    @POST
    @Path("/operator/breakers/{model}/reset")
    public Map<String, Object> resetBreaker(@PathParam("model") String model, @Context ContainerRequestContext context) {
        requireOperator(context, "reset a circuit breaker");
        node.engine().slot(model); // refuses a model this node does not serve
        node.pipeline().resetBreaker(ApiAuth.actor(context), model);
        return Map.of("model", model, "breaker", node.pipeline().breakers().state(model).name().toLowerCase(Locale.ROOT));
    }

    /** The node's safety at a glance: the kill switch, every breaker, and which agents' velocity is tripped. */
    @GET
    @Path("/operator/safety")
    public Map<String, Object> safety(@Context ContainerRequestContext context) {
        requireOperator(context, "see the safety overview");
        Actor operator = ApiAuth.actor(context);
        Map<String, Object> breakers = new TreeMap<>();
        node.pipeline().breakers().states().forEach((model, state) -> breakers.put(model, state.name().toLowerCase(Locale.ROOT)));
        List<Map<String, Object>> tripped = node.identities().agents().stream()
                .map(agent -> node.pipeline().status(operator, agent)).filter(SafetyStatus::velocityTripped)
                .map(s -> Map.<String, Object>of("agent", s.agent(), "tripped_until", s.velocityTrippedUntil())).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kill_switch", killState());
        out.put("breakers", breakers);
        out.put("velocity_tripped", tripped);
        out.put("pending_approvals", node.pipeline().pendingApprovals().size());
        return out;
    }

    private Map<String, Object> agentView(String agent) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agent", agent);
        out.put("revoked", node.identities().isRevoked(agent));
        out.put("may_kill", node.identities().mayKill(Actor.agent(agent)));
        return out;
    }

    private Map<String, Object> killState() {
        var k = node.pipeline().killState();
        return Map.of("active", k.active(), "by", k.by(), "reason", k.reason());
    }

    /** An answer record as the tools write it (snake_case, absent nulls), not as Quarkus' own mapper would. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Object answer) {
        return ToolSchemas.JSON.convertValue(answer, Map.class);
    }

    private static void requireOperator(ContainerRequestContext context, String what) {
        Actor actor = ApiAuth.actor(context);
        PolicyException.require(actor.isOperator(), Refusal.UNAUTHORIZED, "only the operator may " + what);
    }
}
