package dev.forge.node.http;

import dev.forge.node.ForgeNode;
import dev.forge.policies.Actor;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/** The REST API's bearer tokens: the same identities as MCP; a missing or unknown token gets 401
 * (HttpGuard already refuses those on the headers; this sets the actor for the resources). */
@Provider
public class ApiAuth implements ContainerRequestFilter {
    static final String ACTOR = "forge.actor";

    @Inject
    ForgeNode node;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1")) return;
        String token = Bearer.token(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        var actor = node.identities().actor(token);
        if (actor.isEmpty()) {
            request.abortWith(Response.status(401).header("WWW-Authenticate", Bearer.challenge(token))
                    .type(MediaType.APPLICATION_JSON).entity(Bearer.restBody(token)).build());
            return;
        }
        request.setProperty(ACTOR, actor.get());
    }

    static Actor actor(ContainerRequestContext request) {
        return (Actor) request.getProperty(ACTOR);
    }
}
