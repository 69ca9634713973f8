package dev.forge.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.agent.NodeTools;
import dev.forge.agent.Refusal;
import dev.forge.economy.market.Cu;
import dev.forge.node.cli.NodeClient;
import java.net.URI;
import java.util.Map;

/**
 * The apprentice's past, made before the first round: a new account has no credit (score 250,
 * below the pool's 300), and a loan needs less than 100% collateral only from a score of about
 * 380, earned by trading. So it buys chats from the node with its own token until its
 * {@code credit} says a loan needs at most {@value #TARGET_PERCENT}% collateral. The operator
 * first raises the node's price floor for the trained model, so that a few short chats are that
 * much trading (kept under the node's 100 CU a minute of velocity: 64 CU traded gives the target); nobody else in
 * the demo buys the node's chats. The operator then resets its velocity window, so that its past does not slow its rounds.
 */
final class CreditHistory {
    static final int TARGET_PERCENT = 75;
    private static final int MOST_CHATS = 16;
    private static final String FLOOR_CU = "100";

    private CreditHistory() {
    }

    /** One line: what it bought and the credit it has now. */
    static String make(NodeClient operator, URI node, String agent, String token, String model)
            throws java.io.IOException, InterruptedException {
        operator.post("/v1/forge/offer", Map.of("model", model, "price_floor_cu", FLOOR_CU));
        long spent = 0;
        int chats = 0;
        try (var tools = new NodeTools(node, token)) {
            JsonNode credit = tools.call("credit", Map.of());
            while (credit.path("collateral_percent").asInt(1_000) > TARGET_PERCENT && chats < MOST_CHATS) {
                JsonNode chat = tools.call("chat", Map.of("model", model, "prompt", "Once upon a time", "max_tokens", 150));
                spent += Cu.parse(chat.path("cost_cu").asText());
                chats++;
                credit = tools.call("credit", Map.of());
            }
            operator.post("/v1/forge/operator/velocity/" + NodeClient.query(agent) + "/reset", Map.of());
            return chats + " chats bought from the node at its floor of " + FLOOR_CU + " CU/1k (" + Cu.format(spent)
                    + " CU traded): credit score " + credit.path("score").asInt() + ", a loan needs "
                    + credit.path("collateral_percent").asInt() + "% collateral";
        } catch (Refusal r) {
            return "its history stopped after " + chats + " chats (" + r.code() + ": " + r.getMessage() + ")";
        }
    }
}
