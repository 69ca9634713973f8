package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.policies.Actor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What the operator can do to a running node, and what an agent cannot see, over raw HTTP. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class OperatorPowersTest extends OperatorHttpFixture {
    HttpResponse<String> mcp(String token, String session, String body) throws Exception {
        var request = HttpRequest.newBuilder(root.resolve("/mcp")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token).header("MCP-Protocol-Version", "2025-11-25");
        if (session != null) request.header("Mcp-Session-Id", session);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String session(String token) throws Exception {
        HttpResponse<String> init = mcp(token, null, McpProtocolTest.INIT);
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        mcp(token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return session;
    }

    static String tool(int id, String name, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + name
                + "\",\"arguments\":" + arguments + "}}";
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aRevokedTokenGets401OnEverySurfaceIncludingAnOpenMcpSession() throws Exception {
        String token = node.createAgent("revoked-ria");
        String session = session(token);
        assertEquals(200, mcp(token, session, tool(2, "balance", "{}")).statusCode());

        HttpResponse<String> revoked = post(operator(), "/v1/forge/operator/agents/revoked-ria/revoke", "{}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(json(revoked).get("revoked").asBoolean());

        assertEquals(401, mcp(token, session, tool(3, "balance", "{}")).statusCode(), "the open session's next request");
        assertEquals(401, mcp(token, null, McpProtocolTest.INIT).statusCode(), "a new session");
        assertEquals(401, get(token, "/v1/forge/balance").statusCode(), "REST");
        assertEquals(401, post(token, "/v1/chat/completions", "{\"model\":\"" + MODEL + "\",\"messages\":[]}").statusCode(),
                "the OpenAI API");

        HttpResponse<String> rotated = post(operator(), "/v1/forge/operator/agents/revoked-ria/token", "{}");
        assertEquals(200, rotated.statusCode(), rotated.body());
        String fresh = json(rotated).get("token").asText();
        assertEquals(200, get(fresh, "/v1/forge/balance").statusCode(), "the new token works at once");
        assertEquals(401, get(token, "/v1/forge/balance").statusCode(), "the old one stays dead");
    }

    @Test
    void rotatingATokenEndsTheOldOne() throws Exception {
        String token = node.createAgent("rotated-rob");
        String session = session(token);
        String fresh = json(post(operator(), "/v1/forge/operator/agents/rotated-rob/token", "{}")).get("token").asText();
        assertEquals(401, mcp(token, session, tool(2, "balance", "{}")).statusCode());
        assertEquals(200, mcp(fresh, session(fresh), tool(2, "balance", "{}")).statusCode());
    }

    @Test
    void anAgentWithoutTheKillRightCannotPullIt() throws Exception {
        String token = node.createAgent("no-kill-kai");
        HttpResponse<String> taken = post(operator(), "/v1/forge/operator/agents/no-kill-kai/kill-right", "{\"may_kill\":false}");
        assertEquals(200, taken.statusCode(), taken.body());
        assertFalse(json(taken).get("may_kill").asBoolean());

        HttpResponse<String> viaMcp = mcp(token, session(token), tool(2, "kill", "{\"reason\":\"chaos\"}"));
        assertTrue(viaMcp.body().contains("unauthorized"), viaMcp.body());
        HttpResponse<String> viaRest = post(token, "/v1/forge/kill", "{\"reason\":\"chaos\"}");
        assertEquals(403, viaRest.statusCode(), viaRest.body());
        assertEquals("unauthorized", json(viaRest).get("error").asText());
        assertFalse(node.pipeline().killState().active(), "nothing changed");

        assertEquals(403, post(token, "/v1/forge/operator/agents/no-kill-kai/kill-right", "{\"may_kill\":true}").statusCode(),
                "an agent cannot give it back to itself");
        post(operator(), "/v1/forge/operator/agents/no-kill-kai/kill-right", "{\"may_kill\":true}");
        assertEquals(200, post(token, "/v1/forge/kill", "{\"reason\":\"a real incident\"}").statusCode());
        assertTrue(node.pipeline().killState().active());
    }

    @Test
    void anAgentSeesOnlyItsOwnAccountAndCannotTellWhichOthersExist() throws Exception {
        String token = node.createAgent("curious-cat");
        node.createAgent("private-pat");
        for (String read : new String[] {"credit", "balance"}) {
            HttpResponse<String> existing = get(token, "/v1/forge/" + read + "?account=private-pat");
            HttpResponse<String> missing = get(token, "/v1/forge/" + read + "?account=nobody-at-all");
            assertEquals(403, existing.statusCode(), existing.body());
            assertEquals(existing.statusCode(), missing.statusCode(), read);
            assertEquals(existing.body(), missing.body(), read + ": the same answer whether it exists or not");
            assertEquals("unauthorized", json(existing).get("error").asText());
            assertEquals(200, get(token, "/v1/forge/" + read).statusCode(), "its own");
            assertEquals(200, get(operator(), "/v1/forge/" + read + "?account=private-pat").statusCode(), "the operator sees all");
        }
        HttpResponse<String> safety = get(token, "/v1/forge/safety?agent=private-pat");
        HttpResponse<String> ghost = get(token, "/v1/forge/safety?agent=nobody-at-all");
        assertEquals(403, safety.statusCode(), safety.body());
        assertEquals(json(safety).get("error"), json(ghost).get("error"));
    }

    @Test
    void theOperatorResetsAVelocityTripOnARunningNode() throws Exception {
        String token = node.createAgent("fast-fay");
        HttpResponse<String> last = null;
        for (int i = 0; i < 70; i++) {
            last = post(token, "/v1/forge/lend", "{\"amount_cu\":\"0.01\"}");
            if (last.statusCode() != 200) break;
        }
        assertEquals("velocity", json(last).get("error").asText(), last.body());
        JsonNode overview = json(get(operator(), "/v1/forge/operator/safety"));
        assertTrue(overview.get("velocity_tripped").toString().contains("fast-fay"), overview.toString());

        assertEquals(403, post(token, "/v1/forge/operator/velocity/fast-fay/reset", "{}").statusCode());
        HttpResponse<String> reset = post(operator(), "/v1/forge/operator/velocity/fast-fay/reset", "{}");
        assertEquals(200, reset.statusCode(), reset.body());
        assertFalse(json(get(operator(), "/v1/forge/operator/safety")).get("velocity_tripped").toString().contains("fast-fay"));
        assertEquals(200, post(token, "/v1/forge/lend", "{\"amount_cu\":\"0.01\"}").statusCode(), "it spends again");
    }

    @Test
    void theOperatorResetsAnOpenCircuitBreakerOnARunningNode() throws Exception {
        for (int i = 0; i < 8; i++) {
            try {
                node.pipeline().breakers().call(MODEL, () -> {
                    throw new IllegalStateException("the engine fell over");
                }, String.class);
            } catch (Exception expected) {
                // each failure counts against the breaker
            }
        }
        try {
            JsonNode overview = json(get(operator(), "/v1/forge/operator/safety"));
            assertEquals("open", overview.get("breakers").get(MODEL).asText(), overview.toString());
            String agent = node.createAgent("breaker-bo");
            assertEquals(403, post(agent, "/v1/forge/operator/breakers/" + MODEL + "/reset", "{}").statusCode());
            HttpResponse<String> reset = post(operator(), "/v1/forge/operator/breakers/" + MODEL + "/reset", "{}");
            assertEquals(200, reset.statusCode(), reset.body());
            assertEquals("closed", json(reset).get("breaker").asText());
            assertEquals("closed", json(get(operator(), "/v1/forge/operator/safety")).get("breakers").get(MODEL).asText());
            assertEquals(404, post(operator(), "/v1/forge/operator/breakers/no-such-model/reset", "{}").statusCode());
        } finally {
            node.pipeline().resetBreaker(Actor.operator(), MODEL);
        }
    }

    @Test
    void idsOfDotsAnswerInvalidArgumentAndCreateNothing() throws Exception {
        for (String id : new String[] {".", "..", ".hidden"}) {
            HttpResponse<String> refused = post(operator(), "/v1/forge/accounts", "{\"id\":\"" + id + "\"}");
            assertEquals(400, refused.statusCode(), id + ": " + refused.body());
            assertEquals("invalid_argument", json(refused).get("error").asText());
            assertFalse(node.identities().agents().contains(id));
            assertTrue(node.ledger().account(id).isEmpty());
        }
    }
}
