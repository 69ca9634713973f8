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
 * {@code forge agent} as its own process on a real node, beside two sellers ({@code forge provide})
 * of two real model tiers (the trained stories260K, tiny, and the generated TinyLlama.LARGE, large:
 * every process gets the same {@code forge.tier-bounds}) and a buyer: the agent registers its own
 * key, repays an earlier run's loan from its account as it nears its due date, lends idle CU once
 * the operator approves the deposit, waits to earn, earns by serving the buyer's orders with its
 * provider runtime, orders its tasks with orders it signs itself, waits (alive, not spending)
 * while the kill switch is on and resumes when it is released. For the task that deserves the
 * large tier its earnings are too little: it borrows within its credit line (two repaid loans:
 * well under 100% collateral), moves the proceeds to its key account, orders the large tier, earns
 * more, moves its earnings back and repays before the term. The ledger's settled work, transfers
 * and balances and the agent's statement match its journal, and its private key is nowhere in
 * the node's data folder.
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
    /** stories260K is tiny and TinyLlama.LARGE (about 1.2 million parameters) large, in every process. */
    static final String TIERS = "-D" + dev.forge.inference.Tier.Bounds.PROPERTY + "=600000,800000,1000000";
    static Path large;
    static Party largeSeller;

    /** A {@code forge} command as the launcher runs it, with its folder and stderr. */
    record Party(Process process, Path folder, Path stderr) implements AutoCloseable {
        static Party start(String token, Path model, String... command) throws Exception {
            Path folder = Files.createTempDirectory("forge-party");
            Path tokenFile = folder.resolveSibling(folder.getFileName() + ".token");
            Files.writeString(tokenFile, token);
            Path stderr = Files.createTempFile("forge-party", ".err");
            List<String> line = NodeProcess.cli(command);
            line.add(1, TIERS);
            line.addAll(List.of("--node", address.toString(), "--token-file", tokenFile.toString(), "--folder", folder.toString(),
                    "--model", model.toString()));
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
        large = dev.forge.inference.TinyLlama.write(dev.forge.inference.TinyLlama.LARGE, Files.createTempDirectory("forge-models")
                .resolve("tinyllama-large"));
        node = NodeProcess.start(data, TestModel.folder().toString(), 0, TIERS);
        address = URI.create(await(() -> node.awaitAddress().isBlank() ? null : node.awaitAddress(), "the node's address")); // written, not only created
        operator = Identities.operatorToken(data);
        buyer = client(createAgent("buyer"));
        seller = Party.start(createAgent("seller"), TestModel.folder(), "provide", "--port", "0", "--price-per-1k", "2");
        largeSeller = Party.start(createAgent("large-seller"), large, "provide", "--port", "0", "--price-per-1k", "30");
        seller.account();
        largeSeller.account();
        String agentToken = createAgent("agent");
        // Deposits above 5 CU wait for the operator: the agent's 10 CU loan to the pool asks for approval.
        post("/v1/forge/policy", Map.of("agent", "agent", "max_per_request_cu", "50", "max_per_hour_cu", "200",
                "max_lifetime_cu", "1000", "approval_threshold_cu", "5"), operator);
        loanFromAnEarlierRun(agentToken);
        agent = Party.start(agentToken, TestModel.folder(), "agent", "--tasks", String.valueOf(TASKS), "--price-per-1k", "1",
                "--max-spend", "40", "--order-model", large.toString());
    }

    /**
     * The agent's account trades 2 CU of chats (its credit reaches 300), borrows 2 CU from the
     * buyer's deposit and repays it, and borrows 2 CU again for a day, as a run before this one
     * might have: this run finds that loan and repays it, and two repaid loans give it a credit line.
     */
    private static void loanFromAnEarlierRun(String agentToken) {
        for (int i = 0; i < 3; i++) call(buyer, "lend", Map.of("amount_cu", "20")); // 60 CU: the large loan is within 25%
        McpSyncClient before = client(agentToken);
        try {
            for (int i = 0; i < 60 && !call(before, "credit", Map.of()).path("may_borrow").asBoolean(); i++) {
                call(before, "chat", Map.of("model", "stories260K", "prompt", "Once upon a time", "max_tokens", 400));
            }
            JsonNode credit = call(before, "credit", Map.of());
            assertTrue(credit.path("may_borrow").asBoolean(), "the agent's credit reached 300");
            assertEquals(150, credit.path("collateral_percent").asInt(), "at the minimum score a loan is fully secured: " + credit);
            JsonNode first = call(before, "borrow", Map.of("amount_cu", "2", "term_days", 1, "collateral_cu", "3"));
            assertEquals("repaid", call(before, "repay", Map.of("loan_id", first.path("loan_id").asText())).path("status").asText());
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
        for (AutoCloseable p : new AutoCloseable[] {agent, seller, largeSeller, node}) if (p != null) p.close();
    }

    @Test
    void anAgentEarnsSpendsWaitsOutTheKillSwitchAndLeavesNoKeyWithTheNode() throws Exception {
        String account = agent.account();
        assertTrue(account.startsWith("key:"), account);
        // First the debt it found: due within a day and its earnings nothing yet, so its account repays it.
        JsonNode repaid = awaitJournal(l -> l.path("decided").asText().equals("repay"), "the repayment");
        assertEquals(loanId, repaid.path("loan").asText());
        assertTrue(repaid.path("outcome").asText().matches("repaid 2\\.0[0-9]{5} CU of " + loanId + ", now repaid"), repaid.toString());
        assertTrue(repaid.path("why").asText().matches("repay " + loanId + " in full \\(2\\.0[0-9]* CU\\) from my agent account: it is "
                + "due in 2[0-9] h and my earnings do not cover it"), repaid.toString());

        // The deposit waits for the operator; the agent records the approval id and waits on it.
        JsonNode approval = await(() -> {
            for (JsonNode a : JSON.readTree(get("/v1/forge/approvals"))) if (a.path("agent").asText().equals("agent")) return a;
            return null;
        }, "the agent's deposit waiting for approval");
        assertEquals("lend", approval.path("action").asText());
        assertEquals("10.000000", approval.path("amount_cu").asText());
        post("/v1/forge/approvals/" + approval.path("approval_id").asText() + "/approve", Map.of("reason", "fine"), operator);
        // From here no step of the agent waits for a human: the large tier's loan and its repayment are above 5 CU.
        post("/v1/forge/policy", Map.of("agent", "agent", "max_per_request_cu", "50", "max_per_hour_cu", "200",
                "max_lifetime_cu", "1000", "approval_threshold_cu", "50"), operator);
        awaitJournal(l -> l.path("decided").asText().equals("lend") && l.path("outcome").asText().startsWith("lent 10.000000 CU"),
                "the approved deposit");
        JsonNode waiting = awaitJournal(l -> l.path("why").asText().startsWith("waiting to earn"), "the agent waiting to earn");
        assertTrue(waiting.path("why").asText().contains("no loan: a loan buys a better tier, and the tiny tier is the lowest on "
                + "offer; earnings pay for it"), "a tiny task waits for earnings, not for a loan: " + waiting);
        assertTrue(waiting.path("saw").path("collateral_percent").asInt() < 100, "two repaid loans: a credit line " + waiting);

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

        // The large task: its earnings fall short, so it borrows within its credit line and orders the large tier.
        JsonNode borrowed = awaitJournal(l -> l.path("decided").asText().equals("borrow"), "the loan for the large tier");
        assertEquals("task-4", borrowed.path("task").asText(), borrowed.toString());
        int percent = borrowed.path("saw").path("collateral_percent").asInt();
        assertTrue(borrowed.path("why").asText().matches("borrow [0-9.]+ CU at [0-9.]+% for 7 days against [0-9.]+ CU \\(" + percent
                + "%\\): the large tier earns [0-9.]+ CU more on the next 3 orders than it costs, [0-9.]+x the interest"), borrowed.toString());
        long principal = Cu.parse(borrowed.path("amount_cu").asText());
        long collateral = Cu.parse(borrowed.path("collateral_cu").asText());
        assertEquals(Math.ceilDiv(principal * percent, 100), collateral, "the least collateral its credit needs");
        String loan = borrowed.path("outcome").asText().replaceAll("borrowed \\S+ CU as (L[0-9]+),.*", "$1");
        assertTrue(borrowed.path("outcome").asText().endsWith("; moved " + Cu.format(principal - collateral) + " CU to the key account"),
                borrowed.toString());
        JsonNode upgraded = awaitJournal(l -> settledBuy(l) && l.path("task").asText().equals("task-4"), "the large order settled");
        assertTrue(upgraded.path("offer").asText().contains("tinyllama-large (large,"), upgraded.toString());

        // More orders for its own model: what they earn repays the loan.
        for (int i = 0; i < 5; i++) {
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("model", "stories260K");
            order.put("provider", account);
            order.put("messages", List.of(Map.of("role", "user", "content", "The sun was")));
            order.put("max_tokens", 16);
            order.put("max_cost_cu", "1");
            order.put("reward_cu", "3");
            order.put("expires_in_seconds", 600);
            call("submit_order", order);
        }
        JsonNode repayment = awaitJournal(l -> l.path("decided").asText().equals("repay") && l.path("loan").asText().equals(loan),
                "the repayment from earnings");
        assertTrue(repayment.path("why").asText().startsWith("repay " + loan + " in full ("), repayment.toString());
        assertTrue(repayment.path("why").asText().contains(") from my earnings: my key account holds "), repayment.toString());
        long fromKey = Cu.parse(repayment.path("from_key_cu").asText());
        assertTrue(repayment.path("outcome").asText().matches("moved " + Cu.format(fromKey).replace(".", "\\.")
                + " CU of earnings from the key account; repaid [0-9.]+ CU of " + loan + ", now repaid"), repayment.toString());

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
        String end = journal.getLast().path("outcome").asText();
        long movedIn = Cu.parse(end.replaceAll(".*; moved (\\S+) CU to the key account.*", "$1"));
        long movedOut = Cu.parse(end.replaceAll(".* and (\\S+) CU back$", "$1"));
        assertEquals(principal - collateral, movedIn, end);
        assertEquals(fromKey, movedOut, end);
        assertTheStatementShowsEachStep(account, loan, principal, collateral, movedIn, movedOut);

        seller.close();
        largeSeller.close();
        agent.close();
        node.close();
        var books = new Books(settled, Cu.parse(end.replaceAll(".*; paid (\\S+) CU for orders.*", "$1")), movedIn, movedOut);
        auditTheLedger(account, loan, books, collateral);
        assertTheKeyNeverReachedTheNode(seed);
    }

    /** What the agent's journal says it did: settled orders, what they were paid, CU moved to its key account and back. */
    record Books(long settledBuys, long paid, long movedIn, long movedOut) {
    }

    /**
     * The agent account's signed statement, as the operator downloads it: the collateral locked
     * and returned, the loan from the pool and the repayment to it, the proceeds moved to the key
     * account and the earnings moved back.
     */
    private static void assertTheStatementShowsEachStep(String key, String loan, long principal, long collateral, long movedIn,
                                                        long movedOut) throws Exception {
        JsonNode statement = JSON.readTree(get("/v1/forge/statement?account=agent"));
        List<String> steps = new ArrayList<>();
        long fromPool = 0;
        long toPool = 0;
        for (JsonNode e : statement.path("entries")) {
            String with = e.path("counterparty").asText();
            String text = e.path("change_cu").asText();
            long change = text.startsWith("-") ? -Cu.parse(text.substring(1)) : Cu.parse(text);
            if (change == 0) continue; // a hold or a void: nothing posted
            if (with.equals("escrow:" + loan)) steps.add((change < 0 ? "lock " : "release ") + Math.abs(change));
            if (with.equals(key)) steps.add((change < 0 ? "to key " : "from key ") + Math.abs(change));
            if (with.equals("pool:buyer") && change > 0) fromPool += change;
            if (with.equals("pool:buyer") && change < 0) toPool -= change;
        }
        assertEquals(List.of("lock " + collateral, "to key " + movedIn, "from key " + movedOut, "release " + collateral), steps,
                statement.toString());
        assertTrue(fromPool >= principal, "the loan came from the buyer's deposit: " + statement);
        assertTrue(toPool > principal, "and went back to it with interest: " + statement);
    }

    /**
     * The ledger, read with the node stopped: the agent's key account earned and paid exactly its
     * settled work, moved what its journal says, and the loan it took for the large tier was
     * repaid before its term, its collateral back.
     */
    private static void auditTheLedger(String account, String loan, Books books, long collateral) throws Exception {
        try (Ledger ledger = Ledger.open(data.resolve("ledger"))) {
            long earned = 0;
            long paid = 0;
            long bought = 0;
            long sold = 0;
            long fromLarge = 0;
            for (long id = 1; id <= ledger.logSize(); id++) {
                if (ledger.settledWork(id).isEmpty()) continue; // a chat's trade: the log holds both
                var work = ThirdPartyVerifier.settledWork(ledger.settledWork(id).orElseThrow().leafBytes());
                long amount = work.attestation().amount() + work.order().reward();
                if (work.attestation().provider().equals(account)) {
                    earned += amount;
                    sold++;
                }
                if (work.order().buyer().equals(account)) {
                    paid += amount;
                    bought++;
                    if (work.attestation().provider().equals(largeSeller.account())) fromLarge++;
                    else assertEquals(seller.account(), work.attestation().provider(), "its other orders went to the tiny seller");
                }
            }
            assertEquals(8, sold, "it served the buyer's eight orders");
            assertEquals(books.settledBuys(), bought, "one settled work per order its journal says settled");
            assertEquals(1, fromLarge, "one order on the large tier");
            assertTrue(earned >= 3 * 1_000_000 + 5 * 3_000_000, "eight rewards earned: " + Cu.format(earned));
            assertEquals(paid, books.paid(), "the agent's own book of what its orders cost agrees with the ledger");
            long movedIn = 0;
            long movedOut = 0;
            long released = 0;
            long openedAt = 0;
            long due = 0;
            long releasedAt = 0;
            for (long id = 1; id <= ledger.transferCount(); id++) {
                var t = ledger.findTransfer(id).orElseThrow();
                if (t.debitAccount().equals("agent") && t.creditAccount().equals(account)) movedIn += t.amount();
                if (t.debitAccount().equals(account) && t.creditAccount().equals("agent")) movedOut += t.amount();
                if (t.key().startsWith("~loan:" + loan + ":open:")) {
                    assertEquals(collateral, t.amount(), "the collateral its journal says");
                    openedAt = t.timestamp();
                    due = Long.parseLong(t.key().substring(t.key().lastIndexOf(':') + 1));
                }
                if (t.key().equals("~loan:" + loan + ":release") && t.creditAccount().equals("agent")) {
                    released = t.amount();
                    releasedAt = t.timestamp();
                }
                if (t.key().equals("~loan:" + loanId + ":release")) {
                    assertTrue(t.creditAccount().equals("agent") && t.amount() == 3_000_000, "the earlier loan's 3 CU came back");
                }
            }
            assertEquals(books.movedIn(), movedIn, "the proceeds moved to its key account: one ledger transfer");
            assertEquals(books.movedOut(), movedOut, "the earnings moved back: one ledger transfer");
            assertEquals(collateral, released, "the repayment that cleared " + loan + " returned its collateral");
            assertTrue(openedAt < releasedAt && releasedAt < due, "repaid before the term");
            assertEquals(earned - paid + movedIn - movedOut, ledger.account(account).orElseThrow().balance(),
                    "its key account is what it earned less what it paid, plus the proceeds, less the earnings moved out");
            assertEquals(10_000_000, ledger.account("pool:agent").orElseThrow().balance(), "its deposit in the pool");
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
