package dev.forge.node;

import static dev.forge.node.GridProcesses.MODEL;
import static dev.forge.node.GridProcesses.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.Trade;
import dev.forge.grid.GridEntry;
import dev.forge.grid.GridRecord;
import dev.forge.grid.GridStreams;
import dev.forge.grid.NodeIdentity;
import dev.forge.node.GridProcesses.Member;
import io.modelcontextprotocol.client.McpSyncClient;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile grid on real processes: three nats-servers and three node processes (A, B and X).
 * The test's own jnats client publishes on the nodes' subjects an entry of B with a forged
 * signature, a replay of X's applied entry under a new message id (the stream's de-duplication
 * cannot drop it; the applier must), an entry of X past its next index, signed with X's key read
 * from X's data folder, and a second entry signed with that key for X's index 0. Every node
 * refuses each one by code, no root moves, X's rate falls with the gap it signed and is
 * unverifiable after the equivocation, and B's rate is what it was: the forger lacked B's key.
 */
class GridTamperIT {
    private GridProcesses grid;

    @Test
    void forgedReplayedGappedAndEquivocatingEntriesAreRefusedEverywhereAndTheRateShowsIt(@TempDir Path dir) throws Exception {
        NodeProcess.requirePackaged();
        grid = GridProcesses.start(dir, 3);
        Member a = grid.member(0), b = grid.member(1), x = grid.member(2);
        for (Member m : grid.members) chat(m);
        JsonNode before = grid.awaitOneView("a chat on each node");
        grid.say("a chat on each node, one view");
        String honestRate = rateOf(a, b).toString();
        assertEquals(honestRate, rateOf(x, b).toString(), "A and X see B alike");
        String priorOfX = rateOf(a, x).path("verification_rate").asText();

        try (Connection nats = grid.client("grid-tamper-it")) {
            JetStream stream = nats.jetStream();
            GridEntry ofB = first(nats, b), ofX = first(nats, x);
            NodeIdentity keyOfX = keyOf(x);
            assertEquals(x.nodeId, keyOfX.id(), "the seed in X's folder is X's grid key");

            byte[] forged = ofB.encode();
            forged[forged.length - 1] ^= 1;
            publish(stream, b, forged, "tamper-forged");
            publish(stream, x, ofX.encode(), "tamper-replay");
            long next = x.logSize();
            GridEntry gap = GridEntry.sign(keyOfX, next + 1, ofX.digest(), renumbered(ofX.record(), next + 2),
                    Sha256.hash("a log that skips an index".getBytes(StandardCharsets.UTF_8)));
            publish(stream, x, gap.encode(), "tamper-gap");
            awaitRefusals(Map.of("duplicate", 1L, "forged_signature", 1L, "sequence_gap", 1L));
            grid.say("the forgery, the replay and the gap refused everywhere");

            for (Member viewer : List.of(a, b)) {
                JsonNode rate = rateOf(viewer, x);
                assertTrue(new BigDecimal(rate.path("verification_rate").asText()).compareTo(new BigDecimal(priorOfX)) < 0,
                        "the gap X signed counts against X: " + rate);
                assertTrue(rate.path("verification").asText().contains("1 of them grid entries it signed"), rate.toString());
            }

            GridEntry second = GridEntry.sign(keyOfX, ofX.index(), ofX.previousDigest(), ofX.record(),
                    Sha256.hash("another story for the same index".getBytes(StandardCharsets.UTF_8)));
            publish(stream, x, second.encode(), "tamper-equivocation");
            awaitRefusals(Map.of("duplicate", 1L, "equivocation", 1L, "forged_signature", 1L, "sequence_gap", 1L));
            grid.say("the equivocation refused everywhere");
        }

        for (Member m : grid.members) {
            JsonNode grid = m.grid();
            assertEquals(before.path(m.nodeId).path("grid").path("grid_root").asText(), grid.path("grid_root").asText(),
                    "no refusal moved " + m.nodeId + "'s grid root");
            assertEquals(GridProcesses.entriesByNode(before.path(m.nodeId).path("grid")), GridProcesses.entriesByNode(grid));
            for (JsonNode peer : grid.path("peers")) {
                assertEquals(!peer.path("node").asText().equals(x.nodeId), peer.path("verifiable").asBoolean(), peer.toString());
            }
        }
        for (Member viewer : List.of(a, b)) {
            JsonNode rate = rateOf(viewer, x);
            assertEquals("0", rate.path("verification_rate").asText(), rate.toString());
            assertTrue(rate.path("verification").asText().startsWith("unverifiable"), rate.toString());
            var floor = Map.<String, Object>of("model", MODEL, "min_verification_rate", "0.1");
            JsonNode filtered = viewer.call("providers", floor).path("remote");
            assertFalse(GridProcesses.nodes(filtered).contains(x.nodeId), "X is left out by any floor above 0: " + filtered);
        }
        assertTrue(GridProcesses.nodes(a.call("providers", Map.of("model", MODEL, "min_verification_rate", "0.1"))
                .path("remote")).contains(b.nodeId), "B still passes the floor on A");
        assertEquals(honestRate, rateOf(a, b).toString(), "the forgery under B's id changed nothing of B on A");
        assertEquals(honestRate, rateOf(x, b).toString(), "nor on X");
    }

    /** A new agent pays for one chat on the node. */
    private static void chat(Member m) throws Exception {
        String agent = "tamper-" + m.data.getFileName();
        McpSyncClient client = NodeClients.mcp(m.address, m.createAgent(agent), agent);
        try {
            JsonNode answer = NodeClients.answer(client, "chat", Map.of("model", MODEL, "prompt", "Once upon a time", "max_tokens", 8));
            assertTrue(answer.path("trade_id").asLong() > 0, answer.toString());
        } finally {
            client.closeGracefully();
        }
    }

    /** The seller's offer as the viewer's providers lists it (waiting until it does): its rate and what it rests on. */
    private static JsonNode rateOf(Member viewer, Member seller) throws Exception {
        JsonNode[] offer = new JsonNode[1];
        await(viewer.nodeId + " lists " + seller.nodeId, () -> {
            for (JsonNode o : viewer.call("providers", Map.of("model", MODEL)).path("remote")) {
                if (o.path("node").asText().equals(seller.nodeId)) offer[0] = o;
            }
            return offer[0] != null;
        }, () -> viewer.call("providers", Map.of("model", MODEL)));
        var rate = NodeClients.JSON.createObjectNode();
        rate.set("verification_rate", offer[0].path("verification_rate"));
        rate.set("verification", offer[0].path("verification"));
        return rate;
    }

    /** Every node reports exactly these refusals by code. */
    private void awaitRefusals(Map<String, Long> expected) throws Exception {
        for (Member m : grid.members) {
            await(m.nodeId + " refused " + expected, () -> GridProcesses.refusals(m.grid()).equals(new TreeMap<>(expected)),
                    m::grid);
        }
    }

    /** The node's first entry, read from the stream as any client can. */
    private static GridEntry first(Connection nats, Member m) throws Exception {
        return GridEntry.decode(nats.jetStreamManagement().getFirstMessage(GridStreams.STREAM, GridStreams.subject(m.nodeId))
                .getData());
    }

    private static void publish(JetStream stream, Member m, byte[] entry, String messageId) throws Exception {
        PublishAck ack = stream.publish(GridStreams.subject(m.nodeId), entry, PublishOptions.builder().messageId(messageId).build());
        assertFalse(ack.isDuplicate(), "a new message id: the stream takes it");
    }

    /** The node's grid key, read from its data folder as a party holding it would. */
    private static NodeIdentity keyOf(Member m) throws Exception {
        String seed = Files.readString(m.data.resolve("keys").resolve("node.seed")).strip();
        return new NodeIdentity(Ed25519.fromSeed(HexFormat.of().parseHex(seed)));
    }

    /** The same signed record under another ledger id: the id is the node's to give, the parties never signed it. */
    private static GridRecord renumbered(GridRecord record, long id) {
        return switch (record) {
            case GridRecord.TradeRecord t -> new GridRecord.TradeRecord(new Trade(id, t.trade().signed(), t.trade().transferId(),
                    t.trade().settledAt()), t.consumerKey(), t.providerKey());
            case GridRecord.WorkRecord w -> new GridRecord.WorkRecord(new SettledWork(id, w.work().orderId(), w.work().order(),
                    w.work().attestation(), w.work().transferId(), w.work().settledAt()), w.orderKey(), w.providerKey());
        };
    }

    @AfterEach
    void stop() throws Exception {
        if (grid != null) grid.close();
    }
}
