package dev.forge.node.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.node.ForgeNode;
import dev.forge.node.NodeTestResource;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What {@code ./forge mcp} writes on stdout, read line by line: the progress of a call comes
 * before the call's answer and in order (a client drops progress for a call it has closed), and
 * a client that cannot be asked gets the operator's approval path, never a question.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
@EnabledIfSystemProperty(named = "forge.packaged", matches = "true", disabledReason = "forge mcp runs from the packaged node")
class StdioRelayWireIT {
    static final String CHAT = "{\"name\":\"chat\",\"arguments\":{\"model\":\"stories260K\",\"prompt\":\"Once upon a time\",\"max_tokens\":24}";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    URI node() {
        return URI.create("http://127.0.0.1:" + base.getPort());
    }

    @Test
    void everyProgressNotificationComesBeforeItsCallsAnswerAndInOrder() throws Exception {
        try (var relay = RelayProcess.start(node(), node.createAgent("wire-progress"))) {
            relay.initialize("{}");
            for (int call = 1; call <= 10; call++) {
                relay.send("{\"jsonrpc\":\"2.0\",\"id\":" + call + ",\"method\":\"tools/call\",\"params\":" + CHAT
                        + ",\"_meta\":{\"progressToken\":\"p" + call + "\"}}}");
                List<JsonNode> messages = relay.until(call);
                JsonNode answer = messages.getLast();
                assertFalse(answer.path("result").path("isError").asBoolean(), answer.toString());
                assertEquals(List.of(0.0, 8.0, 16.0, 24.0), progress(messages, "p" + call), "call " + call + ": " + messages);
            }
            relay.send("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}");
            List<JsonNode> late = relay.until(99);
            assertEquals(1, late.size(), "nothing for a call after its answer: " + late);
        }
    }

    @Test
    void aClientThatCannotBeAskedLeavesAnAttendedAgentsSpendToTheOperator() throws Exception {
        String agent = "wire-unasked";
        String token = node.createAgent(agent);
        node.pipeline().setPolicy(Actor.operator(), agent, new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 1_000, true));
        try (var relay = RelayProcess.start(node(), token)) {
            relay.initialize("{}");
            long trades = node.ledger().logSize();
            relay.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + CHAT + "}}");
            List<JsonNode> messages = relay.until(1);
            assertEquals(1, messages.size(), "no question to a client that declared no elicitation: " + messages);
            JsonNode result = messages.getLast().path("result");
            assertTrue(result.path("isError").asBoolean(), result.toString());
            assertEquals("approval_required", result.path("structuredContent").path("error").asText(), result.toString());
            assertEquals(trades, node.ledger().logSize());
            assertEquals(1, node.pipeline().pendingApprovals().stream().filter(a -> a.request().agent().equals(agent)).count());
        }
    }

    /** The progress values sent for one progress token, in the order they came. */
    private static List<Double> progress(List<JsonNode> messages, String token) {
        List<Double> values = new ArrayList<>();
        for (JsonNode m : messages) {
            if (m.path("method").asText().equals("notifications/progress") && m.path("params").path("progressToken").asText().equals(token)) {
                values.add(m.path("params").path("progress").asDouble());
            }
        }
        return values;
    }
}
