package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.agent.Agent;
import dev.forge.agent.AgentSettings;
import dev.forge.agent.Earnings;
import dev.forge.agent.Guard;
import dev.forge.agent.Journal;
import dev.forge.agent.LlmPlanner;
import dev.forge.agent.NodeTools;
import dev.forge.agent.Task;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.lending.Loan;
import dev.forge.economy.market.Cu;
import dev.forge.economy.market.ModelTier;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The LLM planner borrows through a model that emits a real {@code borrow} call (LangChain4j's
 * MCP tools on a real node); its guard keeps a second loan from being sent; the runtime repays
 * before the term; the operator's rule holds both the loan and the repayment for approval, the
 * operator approves each through the REST API, and the agent resumes each with its id and the
 * held request as it was (the repayment in full is not reckoned again).
 */
@QuarkusTest
@QuarkusTestResource(value = BorrowerNode.class, restrictToAnnotatedClass = true)
class LlmPlannerLoanTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long CU = 1_000_000;

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theModelBorrowsItsGuardStopsASecondLoanAndTheHeldRepaymentResumesWithItsId() throws Exception {
        String operator = ApprovalAttackTest.operatorToken();
        String lender = node.createAgent("lena-lender");
        String token = node.createAgent("bea");
        policy(operator, "lena-lender", "200");
        try (var asLender = new NodeTools(base, lender); var asBea = new NodeTools(base, token)) {
            asLender.call("lend", Map.of("amount_cu", "100"));
            // A new account may not borrow: real chats bring its credit score to 300 (150% collateral).
            for (int i = 0; i < 60 && !asBea.call("credit", Map.of()).path("may_borrow").asBoolean(); i++) {
                asBea.call("chat", Map.of("model", "stories260K", "prompt", "Once upon a time", "max_tokens", 400));
            }
            assertEquals(150, asBea.call("credit", Map.of()).path("collateral_percent").asInt());
        }
        // Spends above 10 CU wait for the operator: the loan's 30 CU of collateral and its repayment of about 20 CU.
        policy(operator, "bea", "10");

        Path folder = Files.createTempDirectory("forge-llm-borrower");
        var model = OpenAiChatModel.builder().baseUrl(base.resolve("/v1").toString()).apiKey(token).modelName(BorrowerNode.MODEL)
                .maxTokens(16).timeout(Duration.ofMinutes(5)).maxRetries(0).build(); // a loaded two-core machine is slow to read tools
        var tasks = List.of(new Task("story", "Once upon a time", 20, ModelTier.TINY, 1_000_000));
        // It may borrow 20 CU in this run: the model's second borrow is declined by the guard and never sent.
        var limits = new Guard.Limits(10 * CU, 8 * CU, 20 * CU, 5, 50);
        List<JsonNode> approved = new ArrayList<>();
        Agent.Result result;
        try (var planner = new LlmPlanner(model, base, token)) {
            var settings = new AgentSettings(base, token, folder, folder.resolve("agent.key"), Map.of(), tasks, planner, limits,
                    120_000, 200, 100, 400, 300);
            try (Agent agent = Agent.open(settings, new PrintStream(new ByteArrayOutputStream(), true), InstantSource.system())) {
                var run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return agent.run(Earnings.NONE);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long deadline = System.currentTimeMillis() + 900_000;
                while (!run.isDone() && System.currentTimeMillis() < deadline) {
                    for (JsonNode a : JSON.readTree(get(operator, "/v1/forge/approvals").body())) {
                        if (!a.path("agent").asText().equals("bea") || !a.path("status").asText().equals("pending")) continue;
                        assertEquals(200, post(operator, "/v1/forge/approvals/" + a.path("approval_id").asText() + "/approve",
                                "{\"reason\":\"fine\"}").statusCode());
                        approved.add(a);
                    }
                    Thread.sleep(100);
                }
                result = run.get(1, TimeUnit.SECONDS);
            }
        }
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve(Journal.FILE))) steps.add(JSON.readTree(line));
        assertEquals("every task handled", result.why(), steps.toString());
        assertEquals(20 * CU, result.borrowed(), result.toString());

        // The node's books: one loan of 20 CU against 30, repaid in full before its term; both held for approval once.
        List<Loan> loans = node.lending().loans("bea").stream().filter(l -> l.borrower().equals("bea")).toList();
        assertEquals(1, loans.size(), "the guard's declined second loan never reached the node: " + loans);
        Loan loan = loans.getFirst();
        assertEquals(Loan.Status.REPAID, loan.status(), loan.toString());
        assertEquals(20 * CU, loan.principal());
        assertEquals(30 * CU, loan.collateral());
        assertEquals(List.of("borrow", "repay"), approved.stream().map(a -> a.path("action").asText()).toList(), approved.toString());
        assertEquals("30.000000", approved.getFirst().path("amount_cu").asText());
        long held = Cu.parse(approved.get(1).path("amount_cu").asText());
        long paid = 0;
        long released = 0;
        var ledger = node.ledger();
        for (long id = 1; id <= ledger.transferCount(); id++) {
            var t = ledger.findTransfer(id).orElseThrow();
            // The pool's repayment to each lender (the spend's hold on bea is beside it, under its own keys).
            if (t.key().startsWith("~loan:" + loan.id() + ":repay:") && t.debitAccount().equals("bea")) {
                assertEquals(TransferCode.REPAYMENT, t.code(), t.toString());
                paid += t.amount();
            }
            if (t.key().equals("~loan:" + loan.id() + ":release") && t.creditAccount().equals("bea")) released += t.amount();
        }
        assertEquals(loan.principalPaid() + loan.interestPaid(), paid, "the repayment is on the ledger");
        assertEquals(result.repaid(), paid, "what the agent says it repaid is what the ledger moved");
        assertTrue(paid > 20 * CU && paid <= held, "principal and interest, within what the operator approved: " + paid + " of " + held);
        assertEquals(30 * CU, released, "the collateral came back");

        // The journal: the model's call as the step, the guard's refusal, the held steps and their resumption by id.
        JsonNode borrowed = step(steps, s -> s.path("decided").asText().equals("borrow") && s.path("outcome").asText().startsWith("borrowed"));
        assertTrue(borrowed.path("why").asText().startsWith("the model called borrow and proposed borrow"), borrowed.toString());
        assertEquals("30.000000", borrowed.path("collateral_cu").asText());
        assertTrue(borrowed.has("approval_id") && borrowed.path("saw").has("may_borrow"), borrowed.toString());
        JsonNode declined = step(steps, s -> s.path("outcome").asText().startsWith("declined: the model called borrow"));
        assertTrue(declined.path("why").asText().startsWith("guard: no borrowing beyond 20 CU"), declined.toString());
        assertEquals("skip", step(steps, s -> s.path("task").asText().equals("story") && s.path("decided").asText().equals("skip")
                && s.path("outcome").asText().equals("skipped")).path("decided").asText());
        JsonNode heldRepay = step(steps, s -> s.path("decided").asText().equals("repay") && s.path("code").asText().equals("approval_required"));
        assertEquals("settle-loans", heldRepay.path("task").asText());
        assertEquals(approved.get(1).path("approval_id").asText(), heldRepay.path("approval_id").asText());
        assertEquals(Cu.format(held), heldRepay.path("approved_cu").asText());
        JsonNode repaid = step(steps, s -> s.path("decided").asText().equals("repay") && s.path("outcome").asText().startsWith("repaid"));
        assertEquals(heldRepay.path("approval_id").asText(), repaid.path("approval_id").asText(), "resumed with the held id");
        assertTrue(repaid.path("outcome").asText().endsWith("now repaid"), repaid.toString());
        assertEquals(1, steps.stream().filter(s -> s.path("code").asText().equals("approval_required")
                && s.path("decided").asText().equals("repay")).count(), "one hold, resumed once, not asked again: " + steps);
    }

    private static JsonNode step(List<JsonNode> steps, java.util.function.Predicate<JsonNode> which) {
        return steps.stream().filter(which).findFirst().orElseThrow(() -> new AssertionError(steps.toString()));
    }

    private void policy(String operator, String agent, String approvalAbove) throws Exception {
        var response = post(operator, "/v1/forge/policy", JSON.writeValueAsString(Map.of("agent", agent, "max_per_request_cu", "200",
                "max_per_hour_cu", "500", "max_lifetime_cu", "1000", "approval_threshold_cu", approvalAbove)));
        assertEquals(200, response.statusCode(), response.body());
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
}
