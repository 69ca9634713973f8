package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.market.Cu;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code forge agent} as its own process on a real node with the real stories260K, beside a
 * seller ({@code forge provide}) and a buyer: the agent registers its own key, lends idle CU
 * once the operator approves the deposit, waits to earn, earns by serving the buyer's orders
 * with its provider runtime, orders its tasks from the seller with orders it signs itself,
 * waits (alive, not spending) while the kill switch is on and resumes when it is released. The
 * ledger's settled work and balances match its journal, and its private key is nowhere in the
 * node's data folder.
 */
class AgentIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final int TASKS = 6;
    static Path data;
    static NodeProcess node;
    static URI address;
    static String operator;
    static Party seller;
    static Party agent;
    static McpSyncClient buyer;

    /** A {@code forge} command as the launcher runs it, with its folder and stderr. */
    record Party(Process process, Path folder, Path stderr) implements AutoCloseable {
        static Party start(String token, String... command) throws Exception {
            Path folder = Files.createTempDirectory("forge-party");
            Path tokenFile = folder.resolveSibling(folder.getFileName() + ".token");
            Files.writeString(tokenFile, token);
            Path stderr = Files.createTempFile("forge-party", ".err");
            List<String> line = NodeProcess.cli(command);
            line.addAll(List.of("--node", address.toString(), "--token-file", tokenFile.toString(), "--folder", folder.toString(),
                    "--model", TestModel.folder().toString()));
            Process process = new ProcessBuilder(line).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new Party(process, folder, stderr);
        }

        String text() throws IOException {
            return String.join("\n", Files.readAllLines(stderr).stream().filter(l -> !l.startsWith("WARNING: Using incubator")).toList());
        }

        /** The account the provider runtime announced ("serving … as key:… at …"). */
        String account() throws Exception {
            return await(() -> text().lines().filter(l -> l.startsWith("forge provide: serving ")).findFirst()
                    .map(l -> l.replaceAll(".* as (\\S+) at .*", "$1")).orElse(null), "the provider runtime's account");
        }

        List<JsonNode> journal() throws IOException {
            Path file = folder.resolve("journal.jsonl");
            if (!Files.exists(file)) return List.of();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) if (!line.isBlank()) lines.add(JSON.readTree(line));
            return lines;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        NodeProcess.requirePackaged();
        data = Files.createTempDirectory("forge-agent-it");
        node = NodeProcess.start(data, TestModel.folder().toString());
        address = URI.create(await(() -> node.awaitAddress().isBlank() ? null : node.awaitAddress(), "the node's address")); // written, not only created
        operator = Identities.operatorToken(data);
        buyer = client(createAgent("buyer"));
        seller = Party.start(createAgent("seller"), "provide", "--port", "0", "--price-per-1k", "2");
        seller.account();
        String agentToken = createAgent("agent");
        // Deposits above 5 CU wait for the operator: the agent's 10 CU loan to the pool asks for approval.
        post("/v1/forge/policy", Map.of("agent", "agent", "max_per_request_cu", "50", "max_per_hour_cu", "200",
                "max_lifetime_cu", "1000", "approval_threshold_cu", "5"), operator);
        loanFromAnEarlierRun(agentToken);
        agent = Party.start(agentToken, "agent", "--tasks", String.valueOf(TASKS), "--price-per-1k", "1", "--max-spend", "20");
    }

    /**
     * The agent's account trades 2 CU of chats (its credit reaches 300) and borrows 2 CU from the
     * buyer's deposit, as a run before this one might have: this run finds the loan and repays it.
     */
    private static void loanFromAnEarlierRun(String agentToken) {
        call(buyer, "lend", Map.of("amount_cu", "20"));
        McpSyncClient before = client(agentToken);
        try {
            for (int i = 0; i < 60 && !call(before, "credit", Map.of()).path("may_borrow").asBoolean(); i++) {
                call(before, "chat", Map.of("model", "stories260K", "prompt", "Once upon a time", "max_tokens", 400));
            }
            assertTrue(call(before, "credit", Map.of()).path("may_borrow").asBoolean(), "the agent's credit reached 300");
            JsonNode loan = call(before, "borrow", Map.of("amount_cu", "2", "term_days", 1, "collateral_cu", "3"));
            assertEquals("active", loan.path("status").asText());
            loanId = loan.path("loan_id").asText();
        } finally {
            before.closeGracefully();
        }
    }

    static String loanId;

    @AfterAll
    static void stop() throws Exception {
        if (buyer != null) buyer.closeGracefully();
        for (AutoCloseable p : new AutoCloseable[] {agent, seller, node}) if (p != null) p.close();
    }

    @Test
    void anAgentEarnsSpendsWaitsOutTheKillSwitchAndLeavesNoKeyWithTheNode() throws Exception {
        String account = agent.account();
        assertTrue(account.startsWith("key:"), account);
        // First the debt it found: the cash covers it, so it repays it in full before anything else.
        JsonNode repaid = awaitJournal(l -> l.path("decided").asText().equals("repay"), "the repayment");
        assertEquals(loanId, repaid.path("loan").asText());
        assertTrue(repaid.path("outcome").asText().matches("repaid 2\\.0[0-9]{5} CU of " + loanId + ", now repaid"), repaid.toString());
        assertTrue(repaid.path("why").asText().startsWith("repay " + loanId + " in full"), repaid.toString());

        // The deposit waits for the operator; the agent records the approval id and waits on it.
        JsonNode approval = await(() -> {
            for (JsonNode a : JSON.readTree(get("/v1/forge/approvals"))) if (a.path("agent").asText().equals("agent")) return a;
            return null;
        }, "the agent's deposit waiting for approval");
        assertEquals("lend", approval.path("action").asText());
        assertEquals("10.000000", approval.path("amount_cu").asText());
        post("/v1/forge/approvals/" + approval.path("approval_id").asText() + "/approve", Map.of("reason", "fine"), operator);
        awaitJournal(l -> l.path("decided").asText().equals("lend") && l.path("outcome").asText().startsWith("lent 10.000000 CU"),
                "the approved deposit");
        JsonNode waiting = awaitJournal(l -> l.path("why").asText().startsWith("waiting to earn"), "the agent waiting to earn");
        assertTrue(waiting.path("why").asText().contains("no loan: the pool wants 150% collateral"), "its credit allows a loan, "
                + "but at 150% collateral a loan cannot add to what it can spend: " + waiting);

        // The buyer's orders for the agent's own provider runtime: what it earns pays for its tasks.
        for (String prompt : List.of("Once upon a time", "The little dog", "One day, Lily")) {
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("model", "stories260K");
            order.put("provider", account);
            order.put("messages", List.of(Map.of("role", "user", "content", prompt)));
            order.put("max_tokens", 16);
            order.put("max_cost_cu", "1");
            order.put("reward_cu", "1");
            order.put("expires_in_seconds", 600);
            call("submit_order", order);
        }
        awaitJournal(AgentIT::settledBuy, "the agent's first order settled");

        // The kill switch, pulled by another agent: the agent waits, alive, and orders nothing.
        post("/v1/forge/kill", Map.of("reason", "agent test"), null);
        awaitJournal(l -> l.path("why").asText().startsWith("the kill switch is on (agent test)"), "the agent waiting out the kill switch");
        long buysWhenKilled = agent.journal().stream().filter(l -> l.path("decided").asText().equals("buy")).count();
        long settledWhenKilled = agent.journal().stream().filter(AgentIT::settledBuy).count();
        Thread.sleep(3_000);
        assertTrue(agent.process().isAlive(), agent.text());
        assertEquals(buysWhenKilled, agent.journal().stream().filter(l -> l.path("decided").asText().equals("buy")).count(),
                "no order while the kill switch is on");
        assertTrue(buysWhenKilled < TASKS, "tasks left to resume");
        post("/v1/forge/kill/release", Map.of("reason", "over"), operator);

        assertTrue(agent.process().waitFor(300, TimeUnit.SECONDS), agent.text());
        assertEquals(0, agent.process().exitValue(), agent.text());
        assertTrue(agent.text().contains("forge agent: every task handled: " + TASKS + " done, 0 skipped; paid "), agent.text());
        List<JsonNode> journal = agent.journal();
        long settled = journal.stream().filter(AgentIT::settledBuy).count();
        assertTrue(settled > settledWhenKilled, "it resumed after the release: " + settled + " settled, " + settledWhenKilled
                + " when the kill switch was pulled");
        for (JsonNode line : journal) {
            assertTrue(line.path("at").asLong() > 0 && line.path("step").asLong() > 0 && line.hasNonNull("decided"), line.toString());
            if (line.has("saw")) assertFalse(line.path("why").asText().isBlank(), "every decision says why: " + line);
        }
        String seed = Files.readString(agent.folder().resolve("provider.key")).strip();

        seller.close();
        agent.close();
        node.close();
        String end = journal.getLast().path("outcome").asText();
        auditTheLedger(account, settled, Cu.parse(end.replaceAll(".*; paid (\\S+) CU for orders.*", "$1")));
        assertTheKeyNeverReachedTheNode(seed);
    }

    /** The ledger, read with the node stopped: the agent's key account earned and paid exactly its settled work. */
    private static void auditTheLedger(String account, long settledBuys, long paidByItsBooks) throws Exception {
        try (Ledger ledger = Ledger.open(data.resolve("ledger"))) {
            long earned = 0;
            long paid = 0;
            long bought = 0;
            long sold = 0;
            for (long id = 1; id <= ledger.logSize(); id++) {
                if (ledger.settledWork(id).isEmpty()) continue; // a chat's trade, on a ledger from before chats were orders
                var work = ThirdPartyVerifier.settledWork(ledger.settledWork(id).orElseThrow().leafBytes());
                long amount = work.attestation().amount() + work.order().reward();
                if (work.attestation().provider().equals(account)) {
                    earned += amount;
                    sold++;
                }
                if (work.order().buyer().equals(account)) {
                    paid += amount;
                    bought++;
                    assertEquals(seller.account(), work.attestation().provider(), "its orders went to the seller");
                }
            }
            assertEquals(3, sold, "it served the buyer's three orders");
            assertEquals(settledBuys, bought, "one settled work per order its journal says settled");
            assertTrue(earned >= 3 * 1_000_000, "three rewards earned: " + Cu.format(earned));
            assertEquals(paid, paidByItsBooks, "the agent's own book of what its orders cost agrees with the ledger");
            assertEquals(earned - paid, ledger.account(account).orElseThrow().balance(), "its key account is what it earned less what it paid");
            assertEquals(10_000_000, ledger.account("pool:agent").orElseThrow().balance(), "its deposit in the pool");
            boolean released = false;
            for (long id = 1; id <= ledger.transferCount(); id++) {
                var t = ledger.findTransfer(id).orElseThrow();
                if (t.key().equals("~loan:" + loanId + ":release")) released = t.creditAccount().equals("agent") && t.amount() == 3_000_000;
            }
            assertTrue(released, "the repayment that cleared " + loanId + " returned its 3 CU of collateral to the agent");
        }
    }

    /** Neither the seed's bytes nor its hex are in any file of the node's data folder. */
    private static void assertTheKeyNeverReachedTheNode(String seedHex) throws IOException {
        byte[] seed = HexFormat.of().parseHex(seedHex);
        byte[] hex = seedHex.getBytes(StandardCharsets.US_ASCII);
        int files = 0;
        try (Stream<Path> all = Files.walk(data)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                assertFalse(contains(bytes, seed) || contains(bytes, hex), "the agent's key is in " + file);
                files++;
            }
        }
        assertTrue(files > 3, "the node's folder was read: " + files + " files");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    private static boolean settledBuy(JsonNode line) {
        return line.path("decided").asText().equals("buy") && line.path("outcome").asText().startsWith("settled");
    }

    private static JsonNode awaitJournal(Predicate<JsonNode> wanted, String what) throws Exception {
        return await(() -> agent.journal().stream().filter(wanted).findFirst().orElse(null), what);
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T await(Probe<T> probe, String what) throws Exception {
        for (int i = 0; i < 1800; i++) {
            T found = probe.get();
            if (found != null) return found;
            if (agent != null && !agent.process().isAlive() && agent.process().exitValue() != 0) {
                throw new AssertionError("the agent died waiting for " + what + ":\n" + agent.text());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " after 180 s:\nagent:\n" + (agent == null ? "" : agent.text()) + "\nseller:\n"
                + (seller == null ? "" : seller.text()));
    }

    private static JsonNode call(String tool, Map<String, Object> args) {
        return call(buyer, tool, args);
    }

    private static JsonNode call(McpSyncClient client, String tool, Map<String, Object> args) {
        return NodeClients.answer(client, tool, args);
    }

    private static McpSyncClient client(String token) {
        return NodeClients.mcp(address, token, "agent-it");
    }

    static String buyerToken;

    private static String createAgent(String id) throws Exception {
        String token = JSON.readTree(post("/v1/forge/accounts", Map.of("id", id), operator)).path("token").asText();
        if (id.equals("buyer")) buyerToken = token;
        return token;
    }

    private static String get(String path) throws Exception {
        var request = HttpRequest.newBuilder(address.resolve(path)).header("Authorization", "Bearer " + operator).GET().build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** A POST as {@code token}, or as the buyer when null. */
    private static String post(String path, Map<String, Object> body, String token) throws Exception {
        var request = HttpRequest.newBuilder(address.resolve(path)).header("Authorization", "Bearer " + (token == null ? buyerToken : token))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
