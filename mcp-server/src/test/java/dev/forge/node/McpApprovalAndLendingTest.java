package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.ledger.HoldStatus;
import dev.forge.policies.Actor;
import dev.forge.policies.BudgetPolicy;
import dev.langchain4j.mcp.client.McpClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Held spends through MCP (approve, deny), and the lending tools. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class McpApprovalAndLendingTest {
    static final String MODEL = "stories260K";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/mcp")
    URI mcp;

    McpClient client(String agent) {
        var helper = new McpHttpTest();
        helper.mcp = mcp;
        return helper.client(node.createAgent(agent), new ArrayList<>());
    }

    @Test
    void aHeldChatCompletesAfterTheOperatorApproves() throws Exception {
        try (McpClient client = client("hal")) {
            node.pipeline().setPolicy(Actor.operator(), "hal", new BudgetPolicy(50_000_000, 200_000_000, 1_000_000_000, 1_000));
            JsonNode held = McpHttpTest.call(client, "chat", "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":10}");
            assertEquals("approval_required", held.get("error").asText(), held.toString());
            String approval = held.get("approval_id").asText();
            node.pipeline().approve(Actor.operator(), approval, "fine");
            JsonNode done = McpHttpTest.call(client, "chat", "{\"model\":\"" + MODEL
                    + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":10,\"approval_id\":\"" + approval + "\"}");
            assertFalse(done.has("isError"), done.toString());
            assertEquals(10, done.get("completion_tokens").asInt());
        }
    }

    @Test
    void aDeniedSpendIsVoidedAndCannotBeUsed() throws Exception {
        try (McpClient client = client("dina")) {
            JsonNode held = McpHttpTest.call(client, "lend", "{\"amount_cu\":\"40\"}");
            assertEquals("approval_required", held.get("error").asText(), held.toString());
            String approval = held.get("approval_id").asText();
            long hold = node.pipeline().spendFor(approval).holdId();
            node.pipeline().deny(Actor.operator(), approval, "no");
            assertEquals(HoldStatus.VOIDED, node.ledger().holdStatus(hold).orElseThrow());
            JsonNode retry = McpHttpTest.call(client, "lend", "{\"amount_cu\":\"40\",\"approval_id\":\"" + approval + "\"}");
            assertEquals("approval_denied", retry.get("error").asText(), retry.toString());
            assertEquals("1000.000000", McpHttpTest.call(client, "balance", "{}").get("balance_cu").asText());
        }
    }

    @Test
    void lendingToolsMoveRealBalances() throws Exception {
        try (McpClient client = client("lena")) {
            JsonNode lent = McpHttpTest.call(client, "lend", "{\"amount_cu\":\"20\"}");
            assertEquals("20.000000", lent.get("in_pool_cu").asText(), lent.toString());
            assertEquals("980.000000", lent.get("balance_cu").asText());
            JsonNode pool = McpHttpTest.call(client, "pool", "{}");
            assertTrue(dev.forge.economy.market.Cu.parse(pool.get("cash_cu").asText()) >= 20_000_000, pool.toString());
            JsonNode out = McpHttpTest.call(client, "withdraw", "{\"amount_cu\":\"5.5\"}");
            assertEquals("14.500000", out.get("in_pool_cu").asText());
            assertEquals("not_lent_out", McpHttpTest.call(client, "withdraw", "{\"amount_cu\":\"15\"}").get("error").asText());
            JsonNode credit = McpHttpTest.call(client, "credit", "{}");
            assertEquals(250, credit.get("score").asInt(), credit.toString());
            assertEquals(150, credit.get("collateral_percent").asInt(), credit.toString());
            assertEquals("score 250 is below the minimum 300: no loan yet; from there a loan needs 150% collateral, falling to "
                    + "25% at 500", credit.get("collateral_why").asText());
            try (McpClient borrower = client("bert")) {
                JsonNode refused = McpHttpTest.call(borrower, "borrow", "{\"amount_cu\":\"1\",\"term_days\":3,\"collateral_cu\":\"2\"}");
                assertEquals("credit_too_low", refused.get("error").asText(), refused.toString());
                assertEquals("1000.000000", McpHttpTest.call(borrower, "balance", "{}").get("balance_cu").asText(),
                        "the refused loan moved nothing");
            }
            assertEquals(0, McpHttpTest.call(client, "loans", "{}").get("loans").size());
            assertEquals("key_not_registered", McpHttpTest.call(client, "offer", "{\"model\":\"" + MODEL + "\"}").get("error").asText());
        }
    }
}
