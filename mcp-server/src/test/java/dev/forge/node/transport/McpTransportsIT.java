package dev.forge.node.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.ledger.HoldStatus;
import dev.forge.economy.market.Cu;
import dev.forge.node.ForgeNode;
import dev.forge.node.NodeTestResource;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node's MCP behaviour, written once and run over both transports: Streamable HTTP to the
 * shared test node, and stdio through a real {@code ./forge mcp} relay process to the same node.
 * Each transport run is one client session of its own agent (one relay process for the stdio run).
 * Every call's answer is read from its structured content, which must equal its text copy.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
@EnabledIfSystemProperty(named = "forge.packaged", matches = "true", disabledReason = "forge mcp runs from the packaged node")
class McpTransportsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "stories260K";
    static final Set<String> TOOLS = Set.of("balance", "pricing", "chat", "route", "borrow", "repay", "kill", "trades", "network",
            "providers", "offer", "lend", "withdraw", "credit", "pool", "loans", "safety", "register_key", "submit_order",
            "open_orders", "take_order", "deliver", "order_status", "verify", "move_funds");
    private static final Map<Transport, Session> SESSIONS = new EnumMap<>(Transport.class);

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    /** One agent's client session over one transport; {@code stderr} is what its relay process printed. */
    record Session(String agent, McpSyncClient client, Person person, List<String> stderr) {
    }

    Session session(Transport transport) {
        synchronized (SESSIONS) {
            return SESSIONS.computeIfAbsent(transport, this::open);
        }
    }

    private Session open(Transport transport) {
        String agent = "via-" + transport.name().toLowerCase(java.util.Locale.ROOT);
        String token = node.createAgent(agent);
        var person = new Person();
        List<String> stderr = new CopyOnWriteArrayList<>();
        URI address = URI.create("http://127.0.0.1:" + base.getPort());
        return new Session(agent, transport.connect(address, token, person, stderr), person, stderr);
    }

    @AfterAll
    static void close() {
        SESSIONS.values().forEach(s -> s.client().closeGracefully());
        SESSIONS.clear();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void initializeNamesTheNodeAndListsEveryToolWithItsSchemas(Transport transport) {
        Session session = session(transport);
        assertEquals("forge", session.client().getServerInfo().name());
        assertTrue(session.client().getServerInstructions().startsWith("Forge sells LLM inference for CU."),
                session.client().getServerInstructions());
        List<McpSchema.Tool> tools = session.client().listTools().tools();
        assertEquals(TOOLS, tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet()));
        McpSchema.Tool chat = tools.stream().filter(t -> t.name().equals("chat")).findFirst().orElseThrow();
        assertTrue(chat.description().contains("held first"), chat.description());
        assertTrue(String.valueOf(chat.inputSchema().get("required")).contains("model"), chat.inputSchema().toString());
        assertTrue(chat.outputSchema().toString().contains("balance_cu"), String.valueOf(chat.outputSchema()));
        assertEquals(session(Transport.HTTP).client().listTools().tools(), tools, "the relay passes every tool on unchanged");
        assertFalse(session.stderr().stream().anyMatch(line -> line.strip().startsWith("at ")), "no stack trace: " + session.stderr());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void balanceIsTheLedgersOwn(Transport transport) throws Exception {
        Session session = session(transport);
        JsonNode balance = answer(session, "balance", Map.of());
        var account = node.ledger().account(session.agent()).orElseThrow();
        assertEquals(session.agent(), balance.path("account").asText(), balance.toString());
        assertEquals(Cu.format(account.balance()), balance.path("balance_cu").asText(), balance.toString());
        assertEquals(Cu.format(account.available()), balance.path("available_cu").asText(), balance.toString());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aChatSendsProgressAndCostsWhatItsTokensSay(Transport transport) throws Exception {
        Session session = session(transport);
        long before = node.ledger().account(session.agent()).orElseThrow().balance();
        String progressToken = "chat-" + transport;
        var result = session.client().callTool(McpSchema.CallToolRequest.builder().name("chat").progressToken(progressToken)
                .arguments(Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 24)).build());
        JsonNode chat = structured(result);
        assertFalse(Boolean.TRUE.equals(result.isError()), chat.toString());
        assertTrue(chat.path("text").asText().startsWith(", there was a little girl named Lily."), chat.toString());
        assertEquals(24, chat.path("completion_tokens").asInt(), chat.toString());
        long cost = Cu.parse(chat.path("cost_cu").asText());
        long tokens = chat.path("prompt_tokens").asLong() + chat.path("completion_tokens").asLong();
        assertEquals(Cu.cost(tokens, Cu.parse(chat.path("price_per_1k_cu").asText())), cost, "tokens × price, rounded up to a µCU");
        assertEquals(before - cost, node.ledger().account(session.agent()).orElseThrow().balance());
        assertEquals(Cu.format(before - cost), chat.path("balance_cu").asText());

        // The SDK's sync client hands each notification to its consumer on a pool thread, so they may reach
        // the person out of order; the order on the wire is StdioRelayWireIT's to check.
        List<McpSchema.ProgressNotification> progress = awaitProgress(session.person(), progressToken, 4);
        assertEquals(List.of(0.0, 8.0, 16.0, 24.0), progress.stream().map(McpSchema.ProgressNotification::progress).sorted().toList(),
                progress.toString());
        assertTrue(progress.stream().anyMatch(p -> p.progress() == 0 && p.message().equals("holding the cost and starting " + MODEL)),
                progress.toString());
        assertTrue(progress.stream().allMatch(p -> Double.valueOf(24).equals(p.total())), progress.toString());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefusalCarriesItsCodeAsStructuredContentAndChangesNothing(Transport transport) throws Exception {
        Session session = session(transport);
        long transfers = node.ledger().transferCount();
        var noPrompt = session.client().callTool(new McpSchema.CallToolRequest("chat", Map.of("model", MODEL)));
        assertEquals(Boolean.TRUE, noPrompt.isError());
        JsonNode refused = structured(noPrompt);
        assertEquals("invalid_argument", refused.path("error").asText(), refused.toString());
        assertFalse(refused.path("message").asText().isBlank(), refused.toString());

        var othersBalance = session.client().callTool(new McpSchema.CallToolRequest("balance", Map.of("account", "alice")));
        assertEquals(Boolean.TRUE, othersBalance.isError());
        assertEquals("unauthorized", structured(othersBalance).path("error").asText(), structured(othersBalance).toString());
        assertEquals(transfers, node.ledger().transferCount(), "no refusal moved money");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAttendedAgentsPersonApprovesOrDeclinesThroughTheirOwnClient(Transport transport) throws Exception {
        Session session = session(transport);
        String agent = session.agent();
        BudgetPolicy policy = node.pipeline().policyFor(Actor.operator(), agent);
        node.pipeline().setPolicy(Actor.operator(), agent, new BudgetPolicy(policy.maxPerRequest(), policy.maxPerHour(),
                policy.maxLifetime(), 1_000, true));
        try {
            int asked = session.person().questions().size();
            session.person().willAnswer(Person.Answer.APPROVE);
            var approved = chat(session, 10);
            assertEquals(Boolean.FALSE, approved.isError(), approved.toString());
            assertEquals(10, structured(approved).path("completion_tokens").asInt());
            assertEquals(asked + 1, session.person().questions().size(), session.person().questions().toString());
            String question = session.person().questions().getLast();
            assertTrue(question.contains(agent + " asks to spend up to") && question.contains(MODEL), question);

            session.person().willAnswer(Person.Answer.DECLINE);
            long trades = node.ledger().tradeCount();
            var declined = chat(session, 10);
            assertEquals(Boolean.TRUE, declined.isError(), declined.toString());
            assertEquals("approval_denied", structured(declined).path("error").asText(), structured(declined).toString());
            assertEquals(asked + 2, session.person().questions().size());
            assertEquals(trades, node.ledger().tradeCount());
            var account = node.ledger().account(agent).orElseThrow();
            assertEquals(account.balance(), account.available(), "nothing is held any more");
            var denied = node.ledger().findTransfer(node.ledger().transferCount()).orElseThrow();
            assertEquals(HoldStatus.VOIDED, node.ledger().holdStatus(denied.pendingId()).orElseThrow());
        } finally {
            session.person().willAnswer(Person.Answer.APPROVE);
            node.pipeline().setPolicy(Actor.operator(), agent, policy);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void promptsAndResourcesCarryTheAgentsLiveNumbers(Transport transport) throws Exception {
        Session session = session(transport);
        McpSyncClient client = session.client();
        assertEquals(Set.of("plan_within_budget", "explain_refusal"),
                client.listPrompts().prompts().stream().map(McpSchema.Prompt::name).collect(Collectors.toSet()));
        assertEquals(session(Transport.HTTP).client().listPrompts().prompts(), client.listPrompts().prompts());
        String balance = Cu.format(node.ledger().account(session.agent()).orElseThrow().balance());
        String plan = text(client.getPrompt(new McpSchema.GetPromptRequest("plan_within_budget", Map.of("task", "write a story"))));
        assertTrue(plan.contains("write a story") && plan.contains(balance), plan);
        String why = text(client.getPrompt(new McpSchema.GetPromptRequest("explain_refusal", Map.of("code", "budget_hour"))));
        assertTrue(why.contains("rolling hour"), why);

        assertEquals(Set.of("forge://statement", "forge://policy", "forge://network/root"),
                client.listResources().resources().stream().map(McpSchema.Resource::uri).collect(Collectors.toSet()));
        JsonNode statement = resource(client, "forge://statement");
        assertEquals(session.agent(), statement.path("account").asText(), statement.toString());
        assertEquals(balance, statement.path("closing_cu").asText(), statement.toString());
        assertEquals(node.ledger().tradeCount(), resource(client, "forge://network/root").path("trade_count").asLong());
    }

    private static McpSchema.CallToolResult chat(Session session, int maxTokens) {
        return session.client().callTool(new McpSchema.CallToolRequest("chat",
                Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", maxTokens)));
    }

    /** A successful call's structured answer. */
    private static JsonNode answer(Session session, String tool, Map<String, Object> arguments) throws Exception {
        var result = session.client().callTool(new McpSchema.CallToolRequest(tool, arguments));
        JsonNode body = structured(result);
        assertFalse(Boolean.TRUE.equals(result.isError()), body.toString());
        return body;
    }

    /** The structured content, checked to be the same JSON as the text copy a client without structured content reads. */
    private static JsonNode structured(McpSchema.CallToolResult result) throws Exception {
        JsonNode structured = JSON.valueToTree(result.structuredContent());
        JsonNode text = JSON.readTree(((McpSchema.TextContent) result.content().getFirst()).text());
        assertEquals(text, structured, "structured content and its text copy");
        return structured;
    }

    private static String text(McpSchema.GetPromptResult prompt) {
        return prompt.messages().stream().map(m -> ((McpSchema.TextContent) m.content()).text()).collect(Collectors.joining("\n"));
    }

    private static JsonNode resource(McpSyncClient client, String uri) throws Exception {
        var contents = client.readResource(new McpSchema.ReadResourceRequest(uri)).contents();
        return JSON.readTree(((McpSchema.TextResourceContents) contents.getFirst()).text());
    }

    /** Notifications may trail the call's answer by a moment (they are separate messages): wait for them, within reason. */
    private static List<McpSchema.ProgressNotification> awaitProgress(Person person, String token, int count) throws InterruptedException {
        for (int i = 0; i < 300 && person.progressOf(token).size() < count; i++) Thread.sleep(100);
        return person.progressOf(token);
    }
}
