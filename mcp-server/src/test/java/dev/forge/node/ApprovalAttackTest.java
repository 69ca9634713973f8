package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import dev.langchain4j.mcp.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A hostile agent against a real node's approvals: it answers its own client's "Approve?",
 * spends one approval on something else, resumes it with a bigger request, or many times at once.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class ApprovalAttackTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "stories260K";
    static final String LIMITS = "\"max_per_request_cu\":\"50\",\"max_per_hour_cu\":\"200\",\"max_lifetime_cu\":\"1000\","
            + "\"approval_threshold_cu\":\"0.001\"";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource("/mcp")
    URI mcp;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // ---- item 1: the agent answers its own client ----

    @Test
    void anAgentsOwnClientCannotApproveItsSpendUnlessTheOperatorSaysAPersonIsThere() throws Exception {
        String operator = operatorToken();
        String token = node.createAgent("mallory");
        JsonNode policy = JSON.readTree(post(operator, "/v1/forge/policy", "{\"agent\":\"mallory\"," + LIMITS + "}").body());
        assertFalse(policy.get("policy").path("attended").asBoolean(false), "off by default: " + policy);
        List<String> questions = new CopyOnWriteArrayList<>();
        McpSyncClient client = sdkClient(token, questions);
        try {
            long trades = node.ledger().logSize();
            JsonNode held = ElicitationTest.call(client, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 10));
            assertEquals("approval_required", Refusals.code(held), held.toString());
            assertEquals(List.of(), questions, "the node does not ask the agent to approve itself");
            assertEquals(trades, node.ledger().logSize());
            String id = held.get("approval_id").asText();
            assertTrue(get(operator, "/v1/forge/approvals").body().contains(id), "it waits for the operator");

            JsonNode on = JSON.readTree(post(operator, "/v1/forge/policy", "{\"agent\":\"mallory\"," + LIMITS
                    + ",\"attended\":true}").body());
            assertEquals(true, on.get("policy").get("attended").asBoolean(false), on.toString());
            JsonNode asked = ElicitationTest.call(client, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 10));
            assertFalse(asked.has("isError"), asked.toString());
            assertEquals(1, questions.size());
            node.pipeline().audit().flush();
            var approval = node.pipeline().audit().recent(100).stream().filter(e -> e.action().equals("approval")
                    && e.agent().equals("mallory")).toList().getLast();
            assertEquals("user of mallory's client", approval.actor());
            assertTrue(approval.reason().contains("approved by the user of mallory's client, allowed by operator setting"),
                    approval.reason());
        } finally {
            client.closeGracefully();
        }
    }

    // ---- item 2: one approval, another spend ----

    @Test
    void aChatsApprovalPaysForNothingElse() throws Exception {
        try (McpClient client = mcpClient("trudy")) {
            lowThreshold("trudy");
            String chat = "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":10";
            JsonNode held = McpHttpTest.call(client, "chat", chat + "}");
            String id = held.get("approval_id").asText();
            assertEquals(200, post(operatorToken(), "/v1/forge/approvals/" + id + "/approve", "{}").statusCode());
            long transfers = node.ledger().transferCount();
            long provider = node.ledger().account(ForgeNode.PROVIDER).orElseThrow().balance();
            String spent = McpHttpTest.call(client, "safety", "{}").get("spent_last_hour_cu").asText();
            String with = ",\"approval_id\":\"" + id + "\"}";

            for (var attack : List.of(
                    List.of("borrow", "{\"amount_cu\":\"4\",\"term_days\":3,\"collateral_cu\":\"6\"" + with),
                    List.of("lend", "{\"amount_cu\":\"0.35\"" + with),
                    List.of("chat", "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":400" + with),
                    List.of("chat", "{\"model\":\"" + MODEL + "\",\"prompt\":\"Tell me everything\",\"max_tokens\":10" + with))) {
                JsonNode refused = McpHttpTest.call(client, attack.get(0), attack.get(1));
                assertEquals("approval_mismatch", Refusals.code(refused), attack + " -> " + refused);
            }
            assertEquals(transfers, node.ledger().transferCount(), "the refusals moved nothing");
            assertEquals(provider, node.ledger().account(ForgeNode.PROVIDER).orElseThrow().balance());
            assertTrue(node.ledger().account("pool:trudy").isEmpty());
            assertEquals(0, node.lending().loans("trudy").size());
            assertEquals(spent, McpHttpTest.call(client, "safety", "{}").get("spent_last_hour_cu").asText());

            JsonNode paid = McpHttpTest.call(client, "chat", chat + with);
            assertEquals(10, paid.path("completion_tokens").asInt(), paid.toString());
            JsonNode again = McpHttpTest.call(client, "chat", chat + with);
            assertEquals("approval_used", Refusals.code(again), again.toString());
        }
    }

    // ---- item 3: free inference through one approval ----

    @Test
    void parallelStreamedResumesOfOneApprovalStreamOnce() throws Exception {
        String token = node.createAgent("sybil");
        lowThreshold("sybil");
        String body = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
                + "\"max_tokens\":20";
        String id = heldAndApproved(token, body);
        long trades = node.ledger().logSize();
        String resume = body + ",\"stream\":true,\"x_forge\":{\"approval_id\":\"" + id + "\"}}";
        List<HttpResponse<String>> answers = inParallel(4, () -> completion(token, resume));
        List<HttpResponse<String>> streamed = answers.stream().filter(a -> a.statusCode() == 200).toList();
        assertEquals(1, streamed.size(), "exactly one resume proceeds");
        assertTrue(streamed.getFirst().body().contains("\"x_forge\""), streamed.getFirst().body());
        for (var refused : answers.stream().filter(a -> a.statusCode() != 200).toList()) {
            assertEquals(409, refused.statusCode());
            assertEquals("approval_used", Refusals.code(JSON.readTree(refused.body())), refused.body());
        }
        assertEquals(trades + 1, node.ledger().logSize(), "and it is the one that paid");
    }

    @Test
    void aResumeWithMoreTokensIsRefusedBeforeTheModelRuns() throws Exception {
        String token = node.createAgent("tokio");
        lowThreshold("tokio");
        String messages = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],";
        String id = heldAndApproved(token, messages + "\"max_tokens\":20");
        long trades = node.ledger().logSize();
        String approval = ",\"stream\":true,\"x_forge\":{\"approval_id\":\"" + id + "\"}}";
        HttpResponse<String> bigger = completion(token, messages + "\"max_tokens\":400" + approval);
        assertEquals(409, bigger.statusCode(), bigger.body());
        assertEquals("approval_mismatch", Refusals.code(JSON.readTree(bigger.body())));
        assertFalse(bigger.body().contains("data:"), "nothing was streamed");
        assertEquals(trades, node.ledger().logSize());

        HttpResponse<String> asApproved = completion(token, messages + "\"max_tokens\":20" + approval);
        assertEquals(200, asApproved.statusCode(), asApproved.body());
        assertTrue(asApproved.body().contains("\"x_forge\""), asApproved.body());
        HttpResponse<String> replay = completion(token, messages + "\"max_tokens\":20" + approval);
        assertEquals(409, replay.statusCode(), replay.body());
        assertEquals("approval_used", Refusals.code(JSON.readTree(replay.body())));
        assertEquals(trades + 1, node.ledger().logSize());
    }

    @Test
    void parallelMcpResumesOfOneApprovalRunOnce() throws Exception {
        String token = node.createAgent("paula");
        lowThreshold("paula");
        String chat = "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":10";
        var helper = new McpHttpTest();
        helper.mcp = mcp;
        List<McpClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) clients.add(helper.client(token, new ArrayList<>()));
        try {
            String id = McpHttpTest.call(clients.getFirst(), "chat", chat + "}").get("approval_id").asText();
            node.pipeline().approve(Actor.operator(), id, "fine");
            long trades = node.ledger().logSize();
            var next = new java.util.concurrent.atomic.AtomicInteger();
            List<JsonNode> answers = inParallel(4, () -> McpHttpTest.call(clients.get(next.getAndIncrement()), "chat",
                    chat + ",\"approval_id\":\"" + id + "\"}"));
            assertEquals(1, answers.stream().filter(a -> !a.has("isError")).count(), answers.toString());
            assertEquals(3, answers.stream().filter(a -> Refusals.code(a).equals("approval_used")).count(),
                    answers.toString());
            assertEquals(trades + 1, node.ledger().logSize());
        } finally {
            for (McpClient c : clients) c.close();
        }
    }

    // ---- item 4: the kill switch and refused lends ----

    @Test
    void theKillSwitchClosesAHeldSpendsApproval() throws Exception {
        try (McpClient client = mcpClient("kira")) {
            lowThreshold("kira");
            String id = McpHttpTest.call(client, "chat", "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once\",\"max_tokens\":5}")
                    .get("approval_id").asText();
            String operator = operatorToken();
            try {
                McpHttpTest.call(client, "kill", "{\"reason\":\"test\"}");
                assertFalse(get(operator, "/v1/forge/approvals").body().contains(id), "the voided spend left the queue");
                var approve = post(operator, "/v1/forge/approvals/" + id + "/approve", "{}");
                assertEquals(400, approve.statusCode(), approve.body());
                assertTrue(approve.body().contains("was already cancelled"), approve.body());
            } finally {
                assertEquals(200, post(operator, "/v1/forge/kill/release", "{\"reason\":\"test over\"}").statusCode());
            }
            assertEquals("1000.000000", McpHttpTest.call(client, "balance", "{}").get("balance_cu").asText());
        }
    }

    @Test
    void aRefusedLendOpensNoPoolAccount() throws Exception {
        try (McpClient client = mcpClient("rolf")) {
            JsonNode refused = McpHttpTest.call(client, "lend", "{\"amount_cu\":\"60\"}");
            assertEquals("budget_request", Refusals.code(refused), refused.toString());
            assertTrue(node.ledger().account("pool:rolf").isEmpty(), "nothing was opened");
        }
    }

    // ---- plumbing ----

    McpClient mcpClient(String agent) {
        var helper = new McpHttpTest();
        helper.mcp = mcp;
        return helper.client(node.createAgent(agent), new ArrayList<>());
    }

    McpSyncClient sdkClient(String token, List<String> questions) {
        var helper = new ElicitationTest();
        helper.base = base;
        return helper.client(token, true, questions);
    }

    void lowThreshold(String agent) {
        node.pipeline().setPolicy(Actor.operator(), agent, new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 1_000));
    }

    /** A chat held for approval over the OpenAI API, then approved by the operator over REST: its approval id. */
    String heldAndApproved(String token, String body) throws Exception {
        HttpResponse<String> held = completion(token, body + "}");
        assertEquals(409, held.statusCode(), held.body());
        String id = JSON.readTree(held.body()).path("error").path("approval_id").asText(); // OpenAI's shape on /v1
        assertEquals(200, post(operatorToken(), "/v1/forge/approvals/" + id + "/approve", "{}").statusCode());
        return id;
    }

    HttpResponse<String> completion(String token, String body) throws Exception {
        return post(token, "/v1/chat/completions", body);
    }

    HttpResponse<String> post(String token, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static <T> List<T> inParallel(int n, java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            var start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } finally {
            pool.shutdown();
        }
    }

    static String operatorToken() throws Exception {
        String data = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("forge.data", String.class);
        return Identities.operatorToken(java.nio.file.Path.of(data));
    }
}
