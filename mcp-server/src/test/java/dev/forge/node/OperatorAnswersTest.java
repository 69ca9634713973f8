package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.node.app.AccountService;
import dev.forge.node.app.OperatorService;
import dev.forge.node.app.SafetyService;
import dev.forge.node.app.StatementView;
import dev.forge.node.http.OperatorViews;
import dev.forge.node.mcp.ToolSchemas;
import dev.forge.policies.Actor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's calls and the page's views over raw HTTP on a real node: every answer is
 * checked against the schema of the record it is written from (no field missing, none extra),
 * the fields the operator's page reads are there, and a body that is not its record's shape
 * is refused with {@code invalid_argument} and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class OperatorAnswersTest extends OperatorHttpFixture {
    HttpResponse<String> get(String path) throws Exception {
        return get(operator(), path);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return post(operator(), path, body);
    }

    /** The answer, after checking it is a 200 and exactly of the record's schema. */
    static JsonNode answer(HttpResponse<String> response, Class<?> record) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = JSON.readTree(response.body());
        var errors = ToolSchemas.validator(ToolSchemas.of(record)).validate(json);
        assertTrue(errors.isEmpty(), record.getSimpleName() + ": " + errors + " in " + json);
        return json;
    }

    static List<JsonNode> answers(HttpResponse<String> response, Class<?> record) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = JSON.readTree(response.body());
        assertTrue(json.isArray(), json.toString());
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : json) {
            var errors = ToolSchemas.validator(ToolSchemas.of(record)).validate(item);
            assertTrue(errors.isEmpty(), record.getSimpleName() + ": " + errors + " in " + item);
            items.add(item);
        }
        return items;
    }

    static void refused(HttpResponse<String> response, String code) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).get("error").asText(), response.body());
    }

    @Test
    void accountsAreCreatedAndListedAsTheirRecordsSay() throws Exception {
        JsonNode created = answer(post("/v1/forge/accounts", "{\"id\":\"answers-ann\"}"), OperatorService.NewAccount.class);
        assertEquals("answers-ann", created.get("account").asText());
        assertTrue(node.identities().actor(created.get("token").asText()).isPresent(), "the token works");

        List<JsonNode> accounts = answers(get("/v1/forge/accounts"), AccountService.AccountView.class);
        JsonNode ann = accounts.stream().filter(a -> a.get("account").asText().equals("answers-ann")).findFirst().orElseThrow();
        assertEquals("agent", ann.get("kind").asText(), "the page shows account, kind and balance_cu");
        assertEquals(created.get("balance_cu"), ann.get("balance_cu"));
    }

    @Test
    void aBodyNotOfItsRecordsShapeIsRefusedAndCreatesNothing() throws Exception {
        refused(post("/v1/forge/accounts", "{\"id\":\"extra-ed\",\"kind\":\"provider\"}"), "invalid_argument");
        refused(post("/v1/forge/accounts", "{\"id\":12}"), "invalid_argument");
        refused(post("/v1/forge/accounts", "[\"extra-ed\"]"), "invalid_argument");
        refused(post("/v1/forge/accounts", "{\"id\":\"" + "x".repeat(65) + "\"}"), "invalid_argument");
        refused(post("/v1/forge/accounts", null), "invalid_argument");
        refused(post("/v1/forge/accounts", "{\"id\":"), "invalid_argument");
        assertTrue(node.ledger().account("extra-ed").isEmpty());
        node.createAgent("right-rae");
        refused(post("/v1/forge/operator/agents/right-rae/kill-right", "{\"may_kill\":\"false\"}"), "invalid_argument");
        refused(post("/v1/forge/operator/agents/right-rae/kill-right", "{}"), "invalid_argument");
        assertTrue(node.identities().mayKill(Actor.agent("right-rae")), "nothing changed");
    }

    @Test
    void theKillSwitchAndItsReleaseTakeAReasonOrNone() throws Exception {
        JsonNode killed = answer(post("/v1/forge/kill", null), SafetyService.KillView.class);
        assertTrue(killed.get("active").asBoolean());
        assertEquals("no reason given", killed.get("reason").asText());
        refused(post("/v1/forge/kill/release", "{\"reason\":\"\"}"), "invalid_argument");
        assertTrue(node.pipeline().killState().active(), "a refused release changes nothing");
        JsonNode released = answer(post("/v1/forge/kill/release", "{\"reason\":\"all clear\"}"), SafetyService.KillView.class);
        assertFalse(released.get("active").asBoolean());
        assertEquals("all clear", released.get("reason").asText());
    }

    @Test
    void theOperatorsPowersAnswerTheirRecords() throws Exception {
        node.createAgent("powers-pia");
        JsonNode taken = answer(post("/v1/forge/operator/agents/powers-pia/kill-right", "{\"may_kill\":false}"),
                OperatorService.AgentView.class);
        assertFalse(taken.get("may_kill").asBoolean());
        assertFalse(taken.has("token"), "no token unless one is issued");
        JsonNode rotated = answer(post("/v1/forge/operator/agents/powers-pia/token", null), OperatorService.AgentView.class);
        assertTrue(node.identities().actor(rotated.get("token").asText()).isPresent());
        JsonNode revoked = answer(post("/v1/forge/operator/agents/powers-pia/revoke", "{}"), OperatorService.AgentView.class);
        assertTrue(revoked.get("revoked").asBoolean());
        assertTrue(answers(get("/v1/forge/operator/agents"), OperatorService.AgentView.class).stream()
                .anyMatch(a -> a.get("agent").asText().equals("powers-pia") && a.get("revoked").asBoolean()));

        answer(post("/v1/forge/operator/velocity/powers-pia/reset", null), OperatorService.VelocityReset.class);
        JsonNode breaker = answer(post("/v1/forge/operator/breakers/" + MODEL + "/reset", null), OperatorService.BreakerReset.class);
        assertEquals("closed", breaker.get("breaker").asText());
        JsonNode safety = answer(get("/v1/forge/operator/safety"), OperatorService.SafetyOverview.class);
        assertEquals("closed", safety.get("breakers").get(MODEL).asText());
        answers(get("/v1/forge/approvals"), SafetyService.ApprovalView.class);
        // An approval that does not exist: a refusal, with a body or without, never a failure of the node.
        HttpResponse<String> unknown = post("/v1/forge/approvals/no-such-approval/approve", null);
        assertTrue(unknown.statusCode() >= 400 && unknown.statusCode() < 500, unknown.body());
        assertEquals(unknown.body(), post("/v1/forge/approvals/no-such-approval/approve", "{}").body());
    }

    @Test
    void thePagesViewsAnswerTheirRecords() throws Exception {
        node.createAgent("views-vic");
        answer(post("/v1/forge/policy", "{\"agent\":\"views-vic\",\"max_per_request_cu\":\"5\",\"max_per_hour_cu\":\"50\","
                + "\"max_lifetime_cu\":\"500\",\"approval_threshold_cu\":\"4\"}"), SafetyService.Safety.class);
        List<JsonNode> history = answers(get("/v1/forge/pricing/history"), OperatorViews.PricePoint.class);
        assertFalse(history.isEmpty(), "sampled at start");
        assertTrue(history.getFirst().get("prices").size() > 0, "the chart's tiers");
        JsonNode statement = answer(get("/v1/forge/statement?account=views-vic"), StatementView.class);
        assertEquals("views-vic", statement.get("account").asText());
        HttpResponse<String> csv = get("/v1/forge/statement?account=views-vic&format=csv");
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.body().startsWith("# forge statement for views-vic"), csv.body());
        answer(get("/health"), dev.forge.node.http.HealthResource.Health.class);
    }

    @Test
    void theStatementsQueryIsReadByItsRecord() throws Exception {
        node.createAgent("query-quin");
        for (String query : new String[] {"from=abc", "from=-1", "to=1.5", "format=xml", "acount=query-quin",
                "from=99999999999999999999"}) {
            refused(get("/v1/forge/statement?account=query-quin&" + query), "invalid_argument");
        }
        JsonNode period = answer(get("/v1/forge/statement?account=query-quin&from=0&to=" + Long.MAX_VALUE), StatementView.class);
        assertEquals(0, period.get("from").asLong());
        node.createAgent("4567");
        JsonNode digits = answer(get("/v1/forge/statement?account=4567"), StatementView.class);
        assertEquals("4567", digits.get("account").asText(), "an account named with digits is read as the text it is");
    }
}
