package dev.forge.node.http;

import dev.forge.node.ForgeNode;
import dev.forge.node.app.OperatorService;
import dev.forge.node.app.OperatorService.AccountRequest;
import dev.forge.node.app.OperatorService.AgentView;
import dev.forge.node.app.OperatorService.BreakerReset;
import dev.forge.node.app.OperatorService.Decision;
import dev.forge.node.app.OperatorService.KillRightRequest;
import dev.forge.node.app.OperatorService.NewAccount;
import dev.forge.node.app.OperatorService.Reason;
import dev.forge.node.app.OperatorService.SafetyOverview;
import dev.forge.node.app.OperatorService.VelocityReset;
import dev.forge.node.app.SafetyService;
import dev.forge.node.app.SafetyService.ApprovalView;
import dev.forge.node.app.SafetyService.KillView;
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
import java.util.List;

/**
 * The operator's calls (the CLI and the page use them): accounts, the kill switch, approvals,
 * and under {@code /operator} the powers over a running node. Each adapts one call of
 * {@link OperatorService} or {@link SafetyService}; bodies and answers are their records,
 * read and written by {@link RecordBodies}.
 */
@Path("/v1/forge")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OperatorResource {
    @Inject
    ForgeNode node;

    private OperatorService operators() {
        return node.operators();
    }

    @POST
    @Path("/accounts")
    public NewAccount createAccount(AccountRequest request, @Context ContainerRequestContext context) {
        return operators().createAccount(ApiAuth.actor(context), request);
    }

    @POST
    @Path("/kill")
    public KillView kill(Reason reason, @Context ContainerRequestContext context) {
        return node.safety().kill(ApiAuth.actor(context), new SafetyService.KillRequest(reason.or("no reason given")));
    }

    @POST
    @Path("/kill/release")
    public KillView release(Reason reason, @Context ContainerRequestContext context) {
        return node.safety().release(ApiAuth.actor(context), reason.or("released"));
    }

    @GET
    @Path("/approvals")
    public List<ApprovalView> approvals(@Context ContainerRequestContext context) {
        return operators().approvals(ApiAuth.actor(context));
    }

    @POST
    @Path("/approvals/{id}/approve")
    public Decision approve(@PathParam("id") String id, Reason reason, @Context ContainerRequestContext context) {
        return operators().approve(ApiAuth.actor(context), id, reason);
    }

    @POST
    @Path("/approvals/{id}/deny")
    public Decision deny(@PathParam("id") String id, Reason reason, @Context ContainerRequestContext context) {
        return operators().deny(ApiAuth.actor(context), id, reason);
    }

    @POST
    @Path("/operator/agents/{agent}/revoke")
    public AgentView revoke(@PathParam("agent") String agent, @Context ContainerRequestContext context) {
        return operators().revoke(ApiAuth.actor(context), agent);
    }

    @POST
    @Path("/operator/agents/{agent}/token")
    public AgentView rotate(@PathParam("agent") String agent, @Context ContainerRequestContext context) {
        return operators().rotate(ApiAuth.actor(context), agent);
    }

    @POST
    @Path("/operator/agents/{agent}/kill-right")
    public AgentView killRight(@PathParam("agent") String agent, KillRightRequest right,
                               @Context ContainerRequestContext context) {
        return operators().setKillRight(ApiAuth.actor(context), agent, right);
    }

    @GET
    @Path("/operator/agents")
    public List<AgentView> agents(@Context ContainerRequestContext context) {
        return operators().agents(ApiAuth.actor(context));
    }

    @POST
    @Path("/operator/velocity/{agent}/reset")
    public VelocityReset resetVelocity(@PathParam("agent") String agent, @Context ContainerRequestContext context) {
        return operators().resetVelocity(ApiAuth.actor(context), agent);
    }

    @POST
    @Path("/operator/breakers/{model}/reset")
    public BreakerReset resetBreaker(@PathParam("model") String model, @Context ContainerRequestContext context) {
        return operators().resetBreaker(ApiAuth.actor(context), model);
    }

    /** The node's safety at a glance: the kill switch, every breaker, and which agents' velocity is tripped. */
    @GET
    @Path("/operator/safety")
    public SafetyOverview safety(@Context ContainerRequestContext context) {
        return operators().overview(ApiAuth.actor(context));
    }
}
