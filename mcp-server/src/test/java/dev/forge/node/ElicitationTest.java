package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.ledger.HoldStatus;
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
 * client): the node asks the person, and goes on or stops by the answer.
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
        node.pipeline().setPolicy(Actor.operator(), id, new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 1_000));
        return token;
    }

    McpSchema.CallToolResult chat(McpSyncClient client) {
        return client.callTool(new McpSchema.CallToolRequest("chat",
                Map.of("model", "stories260K", "prompt", "Once upon a time", "max_tokens", 10)));
    }

    @Test
    void theUserApprovesWhenAskedAndTheChatRuns() throws Exception {
        List<String> questions = new CopyOnWriteArrayList<>();
        McpSyncClient client = client(agentWithLowThreshold("ella"), true, questions);
        try {
            var result = chat(client);
            assertEquals(Boolean.FALSE, result.isError(), result.toString());
            assertEquals(1, questions.size());
            assertTrue(questions.getFirst().contains("ella asks to spend up to") && questions.getFirst().contains("stories260K"),
                    questions.getFirst());
            assertEquals(10, ((Map<?, ?>) result.structuredContent()).get("completion_tokens"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void theUserDeclinesAndTheHoldIsVoided() throws Exception {
        List<String> questions = new CopyOnWriteArrayList<>();
        McpSyncClient client = client(agentWithLowThreshold("ezra"), false, questions);
        try {
            long trades = node.ledger().tradeCount();
            var result = chat(client);
            assertEquals(Boolean.TRUE, result.isError());
            String text = ((McpSchema.TextContent) result.content().getFirst()).text();
            assertEquals("approval_denied", JSON.readTree(text).get("error").asText(), text);
            assertEquals(trades, node.ledger().tradeCount());
            assertEquals(node.ledger().account("ezra").orElseThrow().balance(), node.ledger().account("ezra").orElseThrow().available(),
                    "nothing is held any more");
            var denied = node.ledger().findTransfer(node.ledger().transferCount()).orElseThrow();
            assertEquals(HoldStatus.VOIDED, node.ledger().holdStatus(denied.pendingId()).orElseThrow());
        } finally {
            client.closeGracefully();
        }
    }
}
