package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.market.Cu;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chats bought across the grid, three nats-servers and three node processes, each node serving
 * a model of its own and the last two a model both serve ({@code twin260K}):
 * <ul>
 *   <li>the agent of every node buys the next node's model over MCP: each answer is served by
 *       that node, paid from the agent's balance, and every node ends with one grid root and the
 *       same sums owed between every two nodes, as both logs record them;</li>
 *   <li>the answer streams across nodes on OpenAI's {@code /v1} SSE;</li>
 *   <li>the seller first in line killed, its offer still live, a chat fails over before the
 *       first token and is served by the other node; named with {@code node}, the dead one is the
 *       only one tried ({@code no_provider}, nothing changed), the live one serves;</li>
 *   <li>that one freezing mid-stream ends the chat with {@code provider_failed} within the idle
 *       bound, the agent's hold given back;</li>
 *   <li>the buyer's node's kill switch stops a bought chat mid-stream ({@code kill_switch}), its hold given back,
 *       and the seller, told by the home node's signed cancellation, settles nothing: at the end every
 *       two nodes agree on what one owes the other.</li>
 * </ul>
 */
class RemoteChatIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final String TWIN = "twin260K";

    @Test
    void agentsBuyFromEachOtherStreamAndFailOverBeforeTheFirstToken(@TempDir Path dir) throws Exception {
        NodeProcess.requirePackaged();
        Path models = dir.resolve("models");
        List<String> own = List.of("alpha260K", "beta260K", "gamma260K");
        String twin = GridProcesses.modelNamed(models, TWIN);
        List<String> served = new ArrayList<>();
        for (int i = 0; i < own.size(); i++) {
            String folder = GridProcesses.modelNamed(models, own.get(i));
            served.add(i == 0 ? folder : folder + "," + twin);
        }
        try (var grid = GridProcesses.start(dir, served)) {
            List<Buyer> buyers = new ArrayList<>();
            for (int i = 0; i < 3; i++) buyers.add(new Buyer(grid.member(i), "agent-" + (char) ('a' + i)));
            try {
                eachNodeBuysTheNextOnesModel(grid, buyers, own);
                theAnswerStreamsOnOpenAiSse(grid, buyers.getFirst(), own.get(1));
                // Prices move with load, so who is first in line is read just before it is killed.
                var first = firstInLine(grid, buyers.getFirst());
                GridProcesses.Member other = aKilledSellersOfferFailsOverBeforeTheFirstToken(grid, buyers.getFirst(), first);
                aSellerFrozenMidStreamIsVoidedInBoundedTime(grid, buyers.getFirst(), other);
                theKillSwitchStopsABoughtChat(grid, buyers.getFirst(), other);
                everyNodeEndsAgreeing(grid, first);
            } finally {
                for (Buyer b : buyers) b.close();
            }
        }
    }

    private static void eachNodeBuysTheNextOnesModel(GridProcesses grid, List<Buyer> buyers, List<String> own) throws Exception {
        long[] paid = new long[3];
        for (int i = 0; i < 3; i++) {
            Buyer buyer = buyers.get(i);
            GridProcesses.Member seller = grid.member((i + 1) % 3);
            String model = own.get((i + 1) % 3);
            awaitOffer(buyer, model, seller.nodeId);
            long before = micro(buyer.balance().path("balance_cu"));
            JsonNode answer = buyer.chat(model, 12);
            assertEquals(seller.nodeId, answer.path("served_by").asText(), answer.toString());
            assertEquals(model, answer.path("model").asText());
            paid[i] = micro(answer.path("cost_cu"));
            assertTrue(paid[i] > 0, answer.toString());
            JsonNode after = buyer.balance();
            assertEquals(before - paid[i], micro(after.path("balance_cu")), "the agent paid what the answer says");
            assertEquals(0, micro(after.path("held_cu")), "nothing stays held");
        }
        grid.say("every node bought from the next");
        JsonNode views = grid.awaitOneView("every log everywhere, one grid root");
        for (int i = 0; i < 3; i++) {
            String buyer = grid.member(i).nodeId;
            String seller = grid.member((i + 1) % 3).nodeId;
            // The pair's sums on each side, as the viewing node's log and the other's own log record them.
            JsonNode buyerSide = peer(views.path(buyer).path("grid"), seller);
            assertEquals(paid[i], micro(buyerSide.path("owes_cu")), buyerSide.toString());
            assertEquals(paid[i], micro(buyerSide.path("peer_says_owes_cu")), buyerSide.toString());
            assertTrue(buyerSide.path("agree").asBoolean(), buyerSide.toString());
            JsonNode sellerSide = peer(views.path(seller).path("grid"), buyer);
            assertEquals(paid[i], micro(sellerSide.path("owed_cu")), sellerSide.toString());
            assertTrue(sellerSide.path("agree").asBoolean(), sellerSide.toString());
        }
        for (GridProcesses.Member m : grid.members) {
            assertEquals(0, views.path(m.nodeId).path("grid").path("refusals").size(), views.toString());
        }
    }

    private static void theAnswerStreamsOnOpenAiSse(GridProcesses grid, Buyer buyer, String model) throws Exception {
        Stream stream = buyer.stream(model, 40, null);
        assertTrue(stream.pieces.size() > 1, "pieces streamed one by one: " + stream.events);
        assertEquals("", stream.error, stream.events.toString());
        assertEquals(grid.member(1).nodeId, stream.last.path("x_forge").path("served_by").asText(), stream.last.toString());
        grid.say("the answer streamed across nodes on /v1");
    }

    /** The node the buyer's chats of {@value #TWIN} try first: the cheapest, at one price the better verified, then by id. */
    private static GridProcesses.Member firstInLine(GridProcesses grid, Buyer buyer) throws Exception {
        awaitOffer(buyer, TWIN, grid.member(1).nodeId);
        awaitOffer(buyer, TWIN, grid.member(2).nodeId);
        List<JsonNode> offers = new ArrayList<>();
        buyer.offers(TWIN).forEach(offers::add);
        offers.sort(Comparator.<JsonNode>comparingLong(o -> micro(o.path("price_per_1k_cu")))
                .thenComparing(Comparator.<JsonNode, BigDecimal>comparing(o -> new BigDecimal(o.path("verification_rate").asText()))
                        .reversed())
                .thenComparing(o -> o.path("node").asText()));
        String id = offers.getFirst().path("node").asText();
        return grid.members.stream().filter(m -> m.nodeId.equals(id)).findFirst().orElseThrow();
    }

    private static void aSellerFrozenMidStreamIsVoidedInBoundedTime(GridProcesses grid, Buyer buyer, GridProcesses.Member seller)
            throws Exception {
        long before = 0;
        Stream stream = null;
        // The seller may finish before the signal lands (a tiny model is fast): then it is let go, and asked again.
        for (int attempt = 0; attempt < 5 && (stream == null || stream.error.isEmpty()); attempt++) {
            before = micro(buyer.balance().path("balance_cu"));
            stream = buyer.stream(TWIN, 480, () -> signal(seller, "-STOP"));
            if (stream.error.isEmpty()) signal(seller, "-CONT");
        }
        signal(seller, "-CONT"); // it reads the home node's cancellation, stops and settles nothing
        assertEquals("provider_failed", stream.error, stream.events.toString());
        assertFalse(stream.pieces.isEmpty(), "it failed after the first piece: no fail-over then");
        assertTrue(stream.seconds < 60, "voided within the bounds: " + stream.seconds + " s");
        JsonNode after = buyer.balance();
        assertEquals(0, micro(after.path("held_cu")), after.toString());
        assertEquals(before, micro(after.path("balance_cu")), "nothing paid for the failed chat");
        grid.say("a frozen seller: provider_failed after " + stream.seconds + " s, the hold given back");
    }

    /** @return the seller that is left */
    private static GridProcesses.Member aKilledSellersOfferFailsOverBeforeTheFirstToken(GridProcesses grid, Buyer buyer,
                                                                                       GridProcesses.Member dead) throws Exception {
        GridProcesses.kill(dead);
        assertEquals(dead.nodeId, firstInLine(grid, buyer).nodeId, "the dead node's offer is still live and first in line");
        long before = micro(buyer.balance().path("balance_cu"));
        JsonNode answer = buyer.chat(TWIN, 12);
        GridProcesses.Member left = grid.member(1) == dead ? grid.member(2) : grid.member(1);
        String other = left.nodeId;
        assertEquals(other, answer.path("served_by").asText(), "failed over to the other seller: " + answer);
        assertNotEquals(dead.nodeId, answer.path("served_by").asText());
        JsonNode after = buyer.balance();
        assertEquals(before - micro(answer.path("cost_cu")), micro(after.path("balance_cu")), "only the served attempt is paid");
        assertEquals(0, micro(after.path("held_cu")), after.toString());
        grid.say("a dead seller first in line: the chat failed over to " + other);

        // Named, the dead seller is the only one tried: nobody answers, nothing is held or paid.
        var named = buyer.mcp.callTool(new McpSchema.CallToolRequest("chat",
                Map.of("model", TWIN, "prompt", "Once upon a time", "max_tokens", 12, "node", dead.nodeId)));
        JsonNode refusal = NodeClients.JSON.valueToTree(named.structuredContent());
        assertTrue(Boolean.TRUE.equals(named.isError()), refusal.toString());
        assertEquals("no_provider", refusal.path("error").asText(), refusal.toString());
        assertEquals(after, buyer.balance(), "a refused chat changes nothing");
        JsonNode chosen = NodeClients.answer(buyer.mcp, "chat",
                Map.of("model", TWIN, "prompt", "Once upon a time", "max_tokens", 12, "node", other));
        assertEquals(other, chosen.path("served_by").asText(), chosen.toString());
        return left;
    }

    /**
     * The buyer's node's kill switch pulled while a bought chat streams (its seller frozen, so the
     * chat cannot end by itself): the chat ends {@code kill_switch}, not {@code provider_failed}
     * at the idle bound, and nothing stays held.
     */
    private static void theKillSwitchStopsABoughtChat(GridProcesses grid, Buyer buyer, GridProcesses.Member seller)
            throws Exception {
        GridProcesses.Member home = buyer.node;
        long before = micro(buyer.balance().path("balance_cu"));
        Stream stream = null;
        for (int attempt = 0; attempt < 5 && (stream == null || stream.error.isEmpty()); attempt++) {
            stream = buyer.stream(TWIN, 480, () -> {
                signal(seller, "-STOP");
                home.call("kill", Map.of("reason", "RemoteChatIT: a bought chat must stop"));
            });
            if (stream.error.isEmpty()) {
                signal(seller, "-CONT");
                release(home);
                before = micro(buyer.balance().path("balance_cu"));
            }
        }
        assertEquals("kill_switch", stream.error, stream.events.toString());
        JsonNode after = buyer.balance();
        assertEquals(0, micro(after.path("held_cu")), after.toString());
        assertEquals(before, micro(after.path("balance_cu")), "nothing paid for the stopped chat");
        release(home);
        signal(seller, "-CONT"); // it reads the home node's cancellation, stops and settles nothing
        grid.say("the kill switch stopped a bought chat mid-stream after " + stream.seconds + " s");
    }

    /**
     * The dead seller started again: every node holds every log, one grid root, no refusal, and
     * every two nodes agree on what one owes the other: no sale was settled that its buyer voided
     * (the frozen seller was killed; the seller the kill switch stopped was told by the signed
     * cancellation).
     */
    private static void everyNodeEndsAgreeing(GridProcesses grid, GridProcesses.Member dead) throws Exception {
        grid.restart(dead);
        JsonNode views = grid.awaitOneView("every node, the restarted one too, in one state");
        for (GridProcesses.Member m : grid.members) {
            JsonNode view = views.path(m.nodeId).path("grid");
            assertEquals(0, view.path("refusals").size(), view.toString());
            for (JsonNode peer : view.path("peers")) assertTrue(peer.path("agree").asBoolean(), m + ": " + peer);
        }
        grid.say("one state, every pair agreeing");
    }

    private static void release(GridProcesses.Member node) throws Exception {
        var request = HttpRequest.newBuilder(node.address.resolve("/v1/forge/kill/release"))
                .header("Authorization", "Bearer " + Identities.operatorToken(node.data)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"RemoteChatIT\"}")).build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    /** One node's agent, over MCP with its own token, and its /v1. */
    private static final class Buyer implements AutoCloseable {
        final GridProcesses.Member node;
        final String token;
        final McpSyncClient mcp;

        Buyer(GridProcesses.Member node, String agent) throws Exception {
            this.node = node;
            this.token = node.createAgent(agent);
            this.mcp = NodeClients.mcp(node.address, token, agent);
        }

        JsonNode chat(String model, int maxTokens) {
            return NodeClients.answer(mcp, "chat", Map.of("model", model, "prompt", "Once upon a time", "max_tokens", maxTokens));
        }

        JsonNode balance() {
            return NodeClients.answer(mcp, "balance", Map.of());
        }

        JsonNode offers(String model) {
            return NodeClients.answer(mcp, "providers", Map.of("model", model)).path("remote");
        }

        /** A streamed completion; {@code firstPiece}, when not null, runs once the first piece arrived. */
        Stream stream(String model, int maxTokens, Step firstPiece) throws Exception {
            String body = NodeClients.JSON.writeValueAsString(Map.of("model", model, "stream", true, "max_tokens", maxTokens,
                    "messages", List.of(Map.of("role", "user", "content", "Once"))));
            var request = HttpRequest.newBuilder(node.address.resolve("/v1/chat/completions"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(3)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long start = System.nanoTime();
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            var stream = new Stream();
            try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.startsWith("data: ") || line.equals("data: [DONE]")) continue;
                    JsonNode event = NodeClients.JSON.readTree(line.substring(6));
                    stream.events.add(event);
                    if (event.has("error")) stream.error = event.path("error").path("code").asText();
                    String piece = event.path("choices").path(0).path("delta").path("content").asText("");
                    if (!piece.isEmpty()) {
                        if (stream.pieces.isEmpty() && firstPiece != null) firstPiece.run();
                        stream.pieces.add(piece);
                    }
                    if (event.has("x_forge")) stream.last = event;
                }
            }
            stream.seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            return stream;
        }

        @Override
        public void close() {
            mcp.closeGracefully();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static final class Stream {
        final List<JsonNode> events = new ArrayList<>();
        final List<String> pieces = new ArrayList<>();
        String error = "";
        JsonNode last = NodeClients.JSON.createObjectNode();
        long seconds;
    }

    private static void signal(GridProcesses.Member node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(node.process.process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill " + signal);
    }

    private static void awaitOffer(Buyer buyer, String model, String seller) throws Exception {
        GridProcesses.await(buyer.node + " sees " + seller + "'s offer of " + model,
                () -> GridProcesses.nodes(buyer.offers(model)).contains(seller), () -> buyer.offers(model));
    }

    private static JsonNode peer(JsonNode grid, String node) {
        for (JsonNode p : grid.path("peers")) if (p.path("node").asText().equals(node)) return p;
        throw new AssertionError("no peer " + node + " in " + grid);
    }

    /** A CU string ("1.250000") in µCU. */
    private static long micro(JsonNode cu) {
        return Cu.parse(cu.asText());
    }
}
