package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.node.GridProcesses.Member;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos on real processes: three nats-servers and three node processes, each serving a model of
 * its own; chats in a seeded random interleaving of buyers and sellers, most of them bought
 * across nodes (the seed is printed; {@code -Dforge.chaos.seed=N} replays it),
 * the server node A joined through SIGKILLed a third of the way in (A must go on through the
 * servers it learned of), node C SIGKILLed halfway and started again on its folder while A and B
 * keep trading. At the end every node reports the same grid root and the same entries per node,
 * no node is unverifiable, every chat a node acknowledged is in its ledger and in every node's
 * applier, and every two nodes agree on what one owes the other. A chat refused while a server
 * or node is down is allowed (it is not acknowledged, and must be refused as nobody serving it);
 * nothing acknowledged may be lost. Every wait is bounded; no timing is asserted.
 */
class GridChaosIT {
    private static final int CHATS = 24;
    private GridProcesses grid;

    @Test
    void randomChatsWithAServerAndANodeKilledEndInOneStateAndLoseNothingAcknowledged(@TempDir Path dir) throws Exception {
        NodeProcess.requirePackaged();
        long seed = Long.getLong("forge.chaos.seed", System.nanoTime());
        System.err.println("GridChaosIT seed " + seed + " (-Dforge.chaos.seed=" + seed + " replays it)");
        var random = new Random(seed);
        List<String> folders = new ArrayList<>();
        for (String name : List.of("alpha260K", "beta260K", "gamma260K")) {
            folders.add(GridProcesses.modelNamed(dir.resolve("models"), name));
        }
        grid = GridProcesses.start(dir, folders);
        Member a = grid.member(0), c = grid.member(2);
        Map<Member, String> agents = new HashMap<>();
        Map<Member, String> models = new HashMap<>();
        for (Member m : grid.members) {
            agents.put(m, m.createAgent("chaos-" + m.data.getFileName()));
            models.put(m, Path.of(folders.get(grid.members.indexOf(m))).getFileName().toString());
        }
        int bought = 0;
        Map<String, Long> acknowledged = new HashMap<>();
        List<Member> alive = new ArrayList<>(grid.members);
        long sizeOfCBeforeKill = 0;

        for (int i = 0; i < CHATS; i++) {
            if (i == CHATS / 3) {
                grid.cluster.kill(a.server);
                grid.say("chat " + i + ": nats-server " + (a.server + 1) + " SIGKILLed");
            }
            if (i == CHATS / 2) {
                sizeOfCBeforeKill = c.logSize();
                GridProcesses.kill(c);
                alive.remove(c);
                grid.say("chat " + i + ": " + c + " SIGKILLed at log size " + sizeOfCBeforeKill);
            }
            if (i == 2 * CHATS / 3) grid.relaunch(c); // it boots while A and B go on trading
            if (i == 3 * CHATS / 4) {
                grid.connect(c);
                alive.add(c);
                grid.say("chat " + i + ": " + c + " serves again");
            }
            Member buyer = alive.get(random.nextInt(alive.size()));
            Member seller = alive.get(random.nextInt(alive.size()));
            if (!trade(buyer, seller, agents.get(buyer), models.get(seller))) continue;
            // Each node's log holds its side: the seller's sale, the buyer's purchase.
            acknowledged.merge(seller.nodeId, 1L, Long::sum);
            if (buyer != seller) {
                acknowledged.merge(buyer.nodeId, 1L, Long::sum);
                bought++;
            }
        }

        grid.say(bought + " chats bought across nodes; entries acknowledged by node: " + acknowledged);
        assertTrue(bought >= CHATS / 3, "most trades crossed nodes: " + bought);
        JsonNode end = grid.awaitOneView("every node in one state after the chaos");
        grid.say("one state everywhere");
        assertTrue(c.logSize() >= sizeOfCBeforeKill, "C's ledger kept what it had acknowledged before the kill");
        var refusals = GridProcesses.refusals(a.grid());
        for (Member m : grid.members) {
            JsonNode view = end.path(m.nodeId).path("grid");
            Map<String, Long> entries = GridProcesses.entriesByNode(view);
            for (Member owner : grid.members) {
                long acked = acknowledged.getOrDefault(owner.nodeId, 0L);
                assertTrue(entries.getOrDefault(owner.nodeId, 0L) >= acked,
                        m + " holds every chat " + owner + " acknowledged (" + acked + "): " + view);
            }
            for (JsonNode peer : view.path("peers")) {
                assertTrue(peer.path("verifiable").asBoolean(), peer.toString());
                assertTrue(peer.path("agree").asBoolean(), "both logs record the same sums: " + peer);
            }
            assertEquals(refusals, GridProcesses.refusals(view), "every node refused alike");
        }
    }

    /**
     * An agent of {@code buyer} chats the model {@code seller} serves: bought across the grid
     * unless they are one node. True when it was acknowledged (served by {@code seller}); false
     * when refused because nobody could serve it (a server or the seller was down).
     */
    private boolean trade(Member buyer, Member seller, String token, String model) throws Exception {
        if (buyer != seller) {
            GridProcesses.await(buyer + " sees " + seller + "'s offer", () -> GridProcesses.nodes(offers(buyer, token, model))
                    .contains(seller.nodeId), () -> offers(buyer, token, model));
        }
        McpSyncClient client = NodeClients.mcp(buyer.address, token, "chaos");
        try {
            var result = client.callTool(new McpSchema.CallToolRequest("chat",
                    Map.of("model", model, "prompt", "Once upon a time", "max_tokens", 8)));
            JsonNode body = NodeClients.JSON.valueToTree(result.structuredContent());
            if (Boolean.TRUE.equals(result.isError())) {
                String code = body.path("error").asText();
                assertTrue(buyer != seller && List.of("no_provider", "provider_failed").contains(code), "refused: " + body);
                grid.say(buyer + " could not buy " + model + " now: " + code);
                return false;
            }
            assertTrue(body.path("trade_id").asLong() > 0, body.toString());
            if (buyer != seller) assertEquals(seller.nodeId, body.path("served_by").asText(), body.toString());
            return true;
        } finally {
            client.closeGracefully();
        }
    }

    private static JsonNode offers(Member buyer, String token, String model) {
        McpSyncClient client = NodeClients.mcp(buyer.address, token, "chaos");
        try {
            return NodeClients.answer(client, "providers", Map.of("model", model)).path("remote");
        } finally {
            client.closeGracefully();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (grid != null) grid.close();
    }
}
