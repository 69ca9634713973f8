package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.market.Cu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code forge demo} as the launcher runs it, from the packaged node, for two rounds: it exits 0
 * and prints a row per agent, a Merkle root of 64 hex digits that is the ledger's own root, and a
 * chart that parses as XML, is SVG, and holds each agent's balance and loan series with a point
 * per round. Each row's balance is what the ledger holds on that agent's two accounts.
 */
class DemoIT {
    static final List<String> AGENTS = List.of("provider", "apprentice", "patron", "frugal");
    static final int ROUNDS = 2;
    static final List<String> ORDERING = List.of("apprentice", "patron", "frugal");
    static final Pattern KILL = Pattern.compile("(?m)^kill switch: pulled in round 1 at ([0-9]+) \\(the node's time\\), released ([0-9]+) ms later$");
    static final Pattern STOP_LINE = Pattern.compile("(?m)^  (\\S+) stopped ([0-9]+) ms after the kill, noticed it ([0-9]+) ms after, "
            + "resumed ([0-9]+) ms after the release \\(");
    /** AGENT, EARNED, SPENT, BORROWED, REPAID, LENT, TIERS_USED, VERIFIED (may hold spaces), BALANCE. */
    static final Pattern ROW = Pattern.compile("^(\\S+) +(-?[0-9]+\\.[0-9]{6}) +(-?[0-9]+\\.[0-9]{6}) +(-?[0-9]+\\.[0-9]{6}) +"
            + "(-?[0-9]+\\.[0-9]{6}) +(-?[0-9]+\\.[0-9]{6}) +(\\S+) +(.+?) +(-?[0-9]+\\.[0-9]{6})$");

    /** The agent on a tight budget: the node refuses its large order by its budget, and it buys the tiny tier instead. */
    static void assertTightBudgetAdapts(Path journal) throws java.io.IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> steps = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(journal)) steps.add(json.readTree(line));
        int refused = -1;
        for (int i = 0; i < steps.size() && refused < 0; i++) {
            var step = steps.get(i);
            if (step.path("decided").asText().equals("buy") && step.path("offer").asText().contains("(large,")
                    && step.path("code").asText().equals("budget_request")) refused = i;
        }
        assertTrue(refused >= 0, "frugal's large order is refused by its budget: " + steps);
        boolean downgraded = steps.subList(refused + 1, steps.size()).stream().anyMatch(step -> step.path("decided").asText()
                .equals("buy") && step.path("offer").asText().contains("(tiny,") && step.path("outcome").asText().startsWith("settled"));
        assertTrue(downgraded, "then it buys the tiny tier and is served: " + steps);
    }

    /**
     * {@code --kill-at 1}. The kill and release times are the node's: its audit log's records, equal to the times
     * printed. From the audit log, the pipeline allowed no spend of any agent between them; from the ledger, the only
     * holds made then were voided before the release, every transfer on an agent's two accounts in that window came
     * within a second of the kill (its spending stopped), and every agent that orders spent again after the release.
     * From each journal, the agent recorded the kill (a kill_switch refusal, its order voided, or a look that saw the
     * switch) and waited without spinning; the demo printed every agent's figures, a stop within a second.
     */
    static void assertKillSwitchStoppedAndReleased(String out, Path folder, Ledger ledger) throws java.io.IOException {
        Matcher kill = KILL.matcher(out);
        assertTrue(kill.find(), "the kill and release times are printed:\n" + out);
        long killedAt = Long.parseLong(kill.group(1));
        long releasedAt = killedAt + Long.parseLong(kill.group(2));
        try (var pipeline = dev.forge.policies.SpendPipeline.open(folder.resolve("node").resolve("safety"), ledger,
                dev.forge.policies.PipelineConfig.defaults())) {
            var audit = pipeline.audit().recent(100_000);
            assertTrue(audit.stream().anyMatch(e -> e.action().equals("kill") && e.time() == killedAt), "the kill's time is the node's");
            assertTrue(audit.stream().anyMatch(e -> e.action().equals("release") && e.outcome().equals("released") && e.time() == releasedAt),
                    "the release's time is the node's");
            var allowed = audit.stream().filter(e -> e.time() >= killedAt && e.time() < releasedAt && ORDERING.contains(e.agent())
                    && (e.outcome().equals("allowed") || e.outcome().equals("held"))).toList();
            assertTrue(allowed.isEmpty(), "no spend was allowed during the kill: " + allowed);
        }
        Map<String, Long> printed = new LinkedHashMap<>();
        Matcher stop = STOP_LINE.matcher(out);
        while (stop.find()) printed.put(stop.group(1), Long.parseLong(stop.group(2)));
        assertEquals(ORDERING, List.copyOf(printed.keySet()), "each agent's figures are printed:\n" + out);
        printed.forEach((agent, millis) -> assertTrue(millis <= 1_000, agent + " stopped within a second:\n" + out));
        List<dev.forge.economy.ledger.Transfer> transfers = new java.util.ArrayList<>();
        for (long id = 0; id <= ledger.transferCount(); id++) ledger.findTransfer(id).ifPresent(transfers::add);
        java.util.Set<Long> voidedBeforeRelease = new java.util.HashSet<>();
        for (var t : transfers) {
            if (t.phase() == dev.forge.economy.ledger.Phase.VOID && t.timestamp() < releasedAt) voidedBeforeRelease.add(t.pendingId());
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String agent : ORDERING) {
            String key = out.lines().filter(l -> l.startsWith("  " + agent + " (key:")).findFirst()
                    .map(l -> l.replaceAll("^  \\S+ \\((key:[0-9a-f]{32})\\).*", "$1")).orElseThrow(() -> new AssertionError(out));
            List<String> accounts = List.of(agent, key);
            long spentAgain = 0;
            for (var t : transfers) {
                if (!(accounts.contains(t.debitAccount()) || accounts.contains(t.creditAccount()))) continue;
                boolean voided = t.phase() == dev.forge.economy.ledger.Phase.VOID;
                if (t.timestamp() >= killedAt && t.timestamp() < releasedAt) {
                    assertTrue(t.phase() != dev.forge.economy.ledger.Phase.PENDING || voidedBeforeRelease.contains(t.id()),
                            agent + ": a hold made during the kill was voided (a spend checked as the switch flipped), not kept: " + t);
                    assertTrue(t.timestamp() - killedAt <= 1_000, agent + "'s money stopped moving within a second of the kill: " + t);
                }
                if (t.timestamp() >= releasedAt && !voided && accounts.contains(t.debitAccount()) && spentAgain == 0) spentAgain = t.timestamp();
            }
            assertTrue(spentAgain > 0, agent + " spent again after the release (the ledger)");
            boolean recorded = false;
            int lines = 0;
            for (String line : Files.readAllLines(folder.resolve("agents").resolve(agent).resolve("journal.jsonl"))) {
                var step = json.readTree(line);
                long at = step.path("at").asLong();
                if (at < killedAt || at >= releasedAt) continue;
                lines++;
                recorded |= step.path("code").asText().equals("kill_switch") || step.path("outcome").asText().startsWith("void: the kill switch")
                        || step.path("saw").path("kill_switch").asBoolean(false);
            }
            assertTrue(recorded, agent + " recorded the kill in its journal");
            // Bounded backoff (100 ms doubling to 400 ms) between looks: a handful of lines; a spin writes one per round trip.
            assertTrue(lines <= 4 + (releasedAt - killedAt) / 300, agent + " waited without spinning: " + lines + " journal lines");
        }
    }

    @Test
    void theDemoPrintsEachAgentsBooksTheRootAndAChartOfEverySeries() throws Exception {
        NodeProcess.requirePackaged();
        Path folder = Files.createTempDirectory("forge-demo-it").resolve("demo");
        Path chart = folder.resolveSibling("chart.svg");
        var ended = NodeProcess.runToEnd(folder, "demo", "--rounds", String.valueOf(ROUNDS), "--folder", folder.toString(),
                "--chart", chart.toString(), "--trained", TestModel.folder().toString(), "--kill-at", "1");
        String out = ended.out();
        String err = ended.err();

        Map<String, Matcher> rows = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) rows.put(m.group(1), m);
        }
        assertEquals(AGENTS, List.copyOf(rows.keySet()), "one row per agent, in order:\n" + out);
        assertTrue(out.contains("tiny = stories260K, trained") && out.contains("large = tinyllama-large, generated by Forge"),
                "the demo says which tier is trained and which generated:\n" + out);
        for (int round = 1; round <= ROUNDS; round++) {
            assertTrue(err.contains("forge demo: round " + round + "/" + ROUNDS + " "), "a progress line per round:\n" + err);
        }
        Matcher root = Pattern.compile("(?m)^merkle root: ([0-9a-f]{64}) over ([0-9]+) ").matcher(out);
        assertTrue(root.find(), out);

        try (Ledger ledger = Ledger.open(folder.resolve("node").resolve("ledger"))) {
            assertEquals(HexFormat.of().formatHex(ledger.merkleRoot()), root.group(1), "the root printed is the ledger's");
            assertEquals(ledger.logSize(), Long.parseLong(root.group(2)));
            for (String agent : AGENTS) {
                String key = out.lines().filter(l -> l.startsWith("  " + agent + " (key:")).findFirst()
                        .map(l -> l.replaceAll("^  \\S+ \\((key:[0-9a-f]{32})\\).*", "$1")).orElseThrow(() -> new AssertionError(out));
                long balance = ledger.account(agent).orElseThrow().balance()
                        + ledger.account(key).map(a -> a.balance()).orElse(0L);
                assertEquals(Cu.format(balance), rows.get(agent).group(9).strip(), agent + "'s balance is its two accounts'");
            }
            assertKillSwitchStoppedAndReleased(out, folder, ledger);
        }

        assertTightBudgetAdapts(folder.resolve("agents").resolve("frugal").resolve("journal.jsonl"));

        Matcher chartLine = Pattern.compile("(?m)^chart: (.+)$").matcher(out);
        assertTrue(chartLine.find(), out);
        assertEquals(chart.toAbsolutePath().toString(), chartLine.group(1).strip());
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        var svg = factory.newDocumentBuilder().parse(chart.toFile()).getDocumentElement();
        assertEquals("svg", svg.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", svg.getNamespaceURI());
        NodeList groups = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (String agent : AGENTS) {
            for (String series : List.of("balance", "loans")) {
                Element found = null;
                for (int i = 0; i < groups.getLength(); i++) {
                    var g = (Element) groups.item(i);
                    if (g.getAttribute("data-agent").equals(agent) && g.getAttribute("data-series").equals(series)) found = g;
                }
                assertTrue(found != null, agent + "'s " + series + " series is in the chart");
                var line = (Element) found.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").item(0);
                assertEquals(ROUNDS + 1, line.getAttribute("points").trim().split(" +").length, "a point before and after each round");
            }
        }
    }
}
