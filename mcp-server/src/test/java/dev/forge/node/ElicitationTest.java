package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forge.economy.lending.LendingConfig;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A spend above the threshold, from a client that supports elicitation (the MCP SDK's own
 * client), of an agent the operator marked attended: the node asks the person for lend, borrow
 * and repay as for chat, and without the operator's setting asks nobody. A chat approved and
 * declined runs over both transports in {@link dev.forge.node.transport.McpTransportsIT}.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class ElicitationTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    McpSyncClient client(String token, boolean approve, List<String> questions) {
        var transport = HttpClientStreamableHttpTransport.builder(base.toString()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .customizeClient(c -> c.version(java.net.http.HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    questions.add(request.message());
                    return approve ? new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true))
                            : new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
                })
                .build();
        client.initialize();
        return client;
    }

    String agentWithLowThreshold(String id) {
        String token = node.createAgent(id);
        attended(id, true);
        return token;
    }

    void attended(String id, boolean attended) {
        node.pipeline().setPolicy(Actor.operator(), id, new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 1_000, attended));
    }

    static JsonNode call(McpSyncClient client, String tool, Map<String, Object> arguments) throws Exception {
        var result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        JsonNode body = JSON.readTree(((McpSchema.TextContent) result.content().getFirst()).text());
        return Boolean.TRUE.equals(result.isError()) ? ((ObjectNode) body).put("isError", true) : body;
    }

    @Test
    void lendBorrowAndRepayAskTheUserToo() throws Exception {
        String lender = node.createAgent("elsa");
        node.pipeline().setPolicy(Actor.operator(), "elsa", new BudgetPolicy(100_000_000, 200_000_000, 1_000_000_000, 100_000_000));
        McpSyncClient lending = client(lender, true, new CopyOnWriteArrayList<>());
        List<String> questions = new CopyOnWriteArrayList<>();
        McpSyncClient client = client(agentWithLowThreshold("emil"), true, questions);
        try {
            assertEquals("80.000000", call(lending, "lend", Map.of("amount_cu", "80")).get("in_pool_cu").asText());
            earnCredit("emil");

            JsonNode lent = call(client, "lend", Map.of("amount_cu", "1"));
            assertEquals("1.000000", lent.path("deposited_cu").asText(), lent.toString());
            assertTrue(questions.getLast().contains("emil asks to spend up to 1.000000 CU (lend)"), questions.toString());

            JsonNode loan = call(client, "borrow", Map.of("amount_cu", "2", "term_days", 3, "collateral_cu", "3"));
            assertEquals("active", loan.path("status").asText(), loan.toString());
            assertTrue(questions.getLast().contains("(borrow)"), questions.toString());

            JsonNode repaid = call(client, "repay", Map.of("loan_id", loan.get("loan_id").asText(), "amount_cu", "1"));
            assertEquals("1.000000", repaid.path("paid_cu").asText(), repaid.toString());
            assertTrue(questions.getLast().contains("(repay)"), questions.toString());
            assertEquals(3, questions.size());

            // The lender holds a stake in emil's loan, yet cannot tell it from a loan that does not exist.
            String id = loan.get("loan_id").asText();
            JsonNode others = call(lending, "repay", Map.of("loan_id", id, "amount_cu", "1"));
            JsonNode none = call(lending, "repay", Map.of("loan_id", "L424242", "amount_cu", "1"));
            assertEquals("not_your_loan", others.path("error").asText(), others.toString());
            assertEquals(none.path("message").asText().replace("L424242", id), others.path("message").asText());
            assertEquals(none.path("error").asText(), others.path("error").asText());
        } finally {
            client.closeGracefully();
            lending.closeGracefully();
        }
    }

    @Test
    void withoutTheOperatorsSettingLendBorrowAndRepayWaitForTheOperator() throws Exception {
        List<String> questions = new CopyOnWriteArrayList<>();
        String token = agentWithLowThreshold("enzo");
        attended("enzo", false);
        McpSyncClient client = client(token, true, questions);
        try {
            long transfers = node.ledger().transferCount();
            JsonNode lend = call(client, "lend", Map.of("amount_cu", "1"));
            assertEquals("approval_required", lend.path("error").asText(), lend.toString());
            JsonNode borrow = call(client, "borrow", Map.of("amount_cu", "2", "term_days", 3, "collateral_cu", "3"));
            assertEquals("approval_required", borrow.path("error").asText(), borrow.toString());
            assertEquals(List.of(), questions, "the agent's own client is not asked");
            assertTrue(node.ledger().account("pool:enzo").isEmpty());
            assertEquals(2, node.pipeline().pendingApprovals().stream().filter(a -> a.request().agent().equals("enzo")).count());
            assertTrue(node.ledger().transferCount() >= transfers, "only holds were made");
            assertEquals(1_000_000_000L, node.ledger().account("enzo").orElseThrow().balance());
        } finally {
            client.closeGracefully();
        }
    }

    /** Credit enough to borrow (300) comes with 2 CU traded: a few real chats, below the threshold. */
    void earnCredit(String agent) {
        var policy = node.pipeline().policyFor(Actor.operator(), agent);
        node.pipeline().setPolicy(Actor.operator(), agent, new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 50_000_000));
        var chats = node.chats();
        for (int i = 0; i < 200 && node.lending().credit(agent).score() < LendingConfig.DEFAULT.minCreditScore(); i++) {
            chats.chat(Actor.agent(agent), "stories260K", dev.forge.inference.GenerationRequest.greedy("Once upon a time", 200),
                    null, null, ChatService.Listener.NONE);
        }
        assertTrue(node.lending().credit(agent).score() >= LendingConfig.DEFAULT.minCreditScore(), "could not earn credit");
        node.pipeline().setPolicy(Actor.operator(), agent, policy);
    }
}
