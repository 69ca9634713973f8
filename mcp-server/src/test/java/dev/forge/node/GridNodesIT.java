package dev.forge.node;

import static dev.forge.node.GridProcesses.MODEL;
import static dev.forge.node.GridProcesses.await;
import static dev.forge.node.GridProcesses.nodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.work.ModelDigest;
import dev.forge.node.GridProcesses.Member;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nats-servers in one JetStream cluster that admits only one user NKey, and three
 * real nodes as separate processes, each joined through another server with the seed file
 * ({@code forge.grid}, {@code forge.grid.creds}): node B's signed offer is listed as remote by
 * providers on A and C and by route; a chat on each node lands in every node's grid store; all
 * three report the same grid root and every node's log at its ledger's size; a node killed
 * with SIGKILL and started again on its folder catches up, and nothing is refused anywhere.
 * Every wait is bounded; no timing is asserted.
 */
class GridNodesIT {
    private GridProcesses grid;

    @Test
    void threeNodesShareOffersTradesAndOneRootAndAKilledNodeCatchesUp(@TempDir Path dir) throws Exception {
        NodeProcess.requirePackaged();
        grid = GridProcesses.start(dir, 3);
        Member a = grid.member(0), b = grid.member(1), c = grid.member(2);

        for (Member viewer : List.of(a, c)) checkRemoteOffer(viewer, b);
        JsonNode routed = a.call("route", Map.of("model", MODEL));
        assertEquals("node", routed.path("provider").asText(), "the chat itself is still served here: " + routed);
        assertTrue(nodes(routed.path("remote")).contains(b.nodeId), "route lists B's live offer: " + routed);

        for (Member m : grid.members) chat(m, "first-" + m.data.getFileName());
        grid.awaitOneView("a chat on each node");

        long before = c.grid().path("applied_sequence").asLong();
        GridProcesses.kill(c);
        chat(a, "second-" + a.data.getFileName());
        chat(b, "second-" + b.data.getFileName());
        grid.restart(c);
        assertTrue(c.grid().path("applied_sequence").asLong() >= before, "C resumed from its stored sequence");
        grid.awaitOneView("C caught up after its restart");
        for (Member m : grid.members) {
            assertEquals(0, m.grid().path("refusals").size(), m.nodeId + " refused nothing: " + m.grid());
        }
    }

    /** B's offer as another node lists it: remote, on B, at B's endpoint, with the model folder's digest and the prior rate. */
    private static void checkRemoteOffer(Member viewer, Member seller) throws Exception {
        Supplier<JsonNode> providers = () -> viewer.call("providers", Map.of("model", MODEL));
        await(viewer.nodeId + " lists " + seller.nodeId, () -> nodes(providers.get().path("remote")).contains(seller.nodeId),
                providers);
        JsonNode offer = null;
        for (JsonNode o : providers.get().path("remote")) if (o.path("node").asText().equals(seller.nodeId)) offer = o;
        assertTrue(offer.path("remote").asBoolean(), offer.toString());
        assertEquals(MODEL, offer.path("model").asText());
        assertEquals("node", offer.path("provider").asText());
        assertEquals(HexFormat.of().formatHex(ModelDigest.of(TestModel.folder())), offer.path("model_digest").asText());
        assertEquals(seller.address + "/mcp", offer.path("endpoint").asText(), offer.toString());
        assertEquals("0.5", offer.path("verification_rate").asText(), "no chains of B checked here: the prior");
        assertTrue(!nodes(providers.get().path("remote")).contains(viewer.nodeId), "a node does not list itself as remote");
    }

    /** A new agent on the node pays for one chat there. */
    private static void chat(Member m, String agent) throws Exception {
        McpSyncClient client = NodeClients.mcp(m.address, m.createAgent(agent), agent);
        try {
            JsonNode answer = NodeClients.answer(client, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 8));
            assertTrue(answer.path("trade_id").asLong() > 0, answer.toString());
        } finally {
            client.closeGracefully();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (grid != null) grid.close();
    }
}
