package dev.forge.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.node.cli.NodeClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code forge demo --kill-at N}: once every agent that orders has started round N's task, the
 * operator pulls the kill switch through the node's API, holds it at least {@value #HOLD_MILLIS}
 * ms and until every such agent's journal has recorded it (at most {@value #NOTICE_WAIT_MILLIS}
 * ms: on a loaded machine one step of an agent can outlast a short kill), and releases it. Each
 * agent's figures are then read from what the node and the agent recorded, never from the
 * demo's clock: the node's times of the kill and the release (its answers), the node's
 * statements of the agent's two accounts (every transfer with the ledger's time) and the
 * agent's journal.
 */
final class KillDrill {
    static final long HOLD_MILLIS = 2_000;
    static final long NOTICE_WAIT_MILLIS = 30_000;
    /** The bound the issue asks for: every agent's spending stopped within a second of the kill. */
    static final long STOP_BOUND_MILLIS = 1_000;
    private static final long START_WAIT_MILLIS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The node's times of the kill and of the release, ms since the epoch, and whether every agent had started first. */
    record Pulled(int round, long killedAt, long releasedAt, boolean allStarted) {
    }

    /**
     * One agent's figures, times in ms since the epoch (0: not recorded).
     *
     * @param stoppedAt the ledger's time of the last transfer on its accounts during the kill (its holds in flight
     *                  voided, or the payment of a spend the node had accepted before it), else the kill itself:
     *                  from then on none of its money moved or was held
     * @param noticedAt its journal's first record of the kill: a spend refused with {@code kill_switch}, its order
     *                  voided, or a look that saw the switch (after which it waited)
     * @param how       what that record was, in a few words
     * @param spendsDuringKill holds made on its accounts during the kill that no void then undid (0 expected: a spend
     *                         checked as the switch flipped is held and voided at once)
     * @param paymentsDuringKill payments during the kill that finished spends accepted before it
     * @param linesDuringKill journal lines it wrote during the kill (its waits are bounded: a spin writes many)
     * @param resumedAt the ledger's time of its first spend after the release (a hold, or a payment out)
     */
    record Measured(String agent, long stoppedAt, long noticedAt, String how, int spendsDuringKill, int paymentsDuringKill,
                    int linesDuringKill, long resumedAt) {
    }

    private KillDrill() {
    }

    /** Waits for every agent in {@code ordering} to start round {@code round}, then pulls, holds and releases the switch. */
    static Pulled pull(NodeClient operator, RoundGate gate, int round, Map<String, Path> ordering) throws IOException, InterruptedException {
        boolean started = gate.awaitStarted(round, ordering.keySet(), START_WAIT_MILLIS);
        JsonNode kill = operator.post("/v1/forge/kill", Map.of("reason", "forge demo --kill-at " + round + ": the operator's drill"));
        long killedAt = kill.path("at").asLong();
        Thread.sleep(HOLD_MILLIS);
        long deadline = System.currentTimeMillis() + NOTICE_WAIT_MILLIS;
        while (!everyoneNoticed(ordering.values(), killedAt) && System.currentTimeMillis() < deadline) Thread.sleep(100);
        JsonNode release = operator.post("/v1/forge/kill/release", Map.of("reason", "forge demo: the drill is over"));
        return new Pulled(round, killedAt, release.path("at").asLong(), started);
    }

    private static boolean everyoneNoticed(Iterable<Path> journals, long killedAt) throws IOException {
        for (Path journal : journals) {
            if (journal(journal).stream().noneMatch(line -> line.path("at").asLong() >= killedAt && seenTheKill(line) != null)) return false;
        }
        return true;
    }

    static Measured measure(NodeClient operator, String agent, String keyAccount, Path journal, Pulled pulled)
            throws IOException, InterruptedException {
        long stopped = pulled.killedAt();
        int payments = 0;
        int holds = 0;
        int voids = 0;
        long resumed = 0;
        for (String account : List.of(agent, keyAccount)) {
            JsonNode statement = operator.get("/v1/forge/statement?from=" + pulled.killedAt() + "&account=" + NodeClient.query(account));
            for (JsonNode e : statement.path("entries")) {
                long at = e.path("at").asLong();
                String phase = e.path("phase").asText();
                if (at < pulled.releasedAt()) {
                    stopped = Math.max(stopped, at);
                    switch (phase) {
                        case "void" -> voids++;
                        case "pending" -> holds++;
                        default -> payments++;
                    }
                } else if (phase.equals("pending") || Books.signed(e.path("change_cu").asText()) < 0) {
                    resumed = resumed == 0 ? at : Math.min(resumed, at);
                }
            }
        }
        long noticed = 0;
        String how = "no record of the kill in its journal";
        int lines = 0;
        for (JsonNode line : journal(journal)) {
            long at = line.path("at").asLong();
            if (at < pulled.killedAt() || at >= pulled.releasedAt()) continue;
            lines++;
            String seen = seenTheKill(line);
            if (noticed == 0 && seen != null) {
                noticed = at;
                how = seen;
            }
        }
        return new Measured(agent, stopped, noticed, how, Math.max(0, holds - voids), payments, lines, resumed);
    }

    /** What a journal line says of the kill switch, or null when it says nothing of it. */
    private static String seenTheKill(JsonNode line) {
        if (line.path("code").asText().equals("kill_switch")) return "its " + line.path("decided").asText() + " was refused with kill_switch";
        if (line.path("outcome").asText().startsWith("void: the kill switch")) return "its order in flight was voided";
        if (line.path("saw").path("kill_switch").asBoolean(false)) return "it saw the kill switch and decided " + line.path("decided").asText();
        return null;
    }

    private static List<JsonNode> journal(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(file)) return lines;
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) lines.add(JSON.readTree(line));
        }
        return lines;
    }

    /** One line per agent and a summary, for stdout. */
    static List<String> report(Pulled pulled, List<Measured> agents) {
        List<String> lines = new ArrayList<>();
        lines.add("kill switch: pulled in round " + pulled.round() + " at " + pulled.killedAt() + " (the node's time), released "
                + (pulled.releasedAt() - pulled.killedAt()) + " ms later" + (pulled.allStarted() ? "" : " (not every agent had started the round)"));
        long worstStop = 0;
        long worstNotice = 0;
        long worstResume = 0;
        int spends = 0;
        boolean all = true;
        for (Measured m : agents) {
            String notice = m.noticedAt() == 0 ? "did not record it" : "noticed it " + (m.noticedAt() - pulled.killedAt()) + " ms after";
            String resume = m.resumedAt() == 0 ? "did not spend again" : "resumed " + (m.resumedAt() - pulled.releasedAt()) + " ms after the release";
            lines.add("  " + m.agent() + " stopped " + (m.stoppedAt() - pulled.killedAt()) + " ms after the kill, " + notice + ", " + resume
                    + " (" + m.how() + "; during the kill: " + m.linesDuringKill() + " journal lines, " + m.spendsDuringKill() + " spends, "
                    + m.paymentsDuringKill() + " payments of spends accepted before it)");
            if (m.noticedAt() == 0 || m.resumedAt() == 0) all = false;
            else {
                worstNotice = Math.max(worstNotice, m.noticedAt() - pulled.killedAt());
                worstResume = Math.max(worstResume, m.resumedAt() - pulled.releasedAt());
            }
            worstStop = Math.max(worstStop, m.stoppedAt() - pulled.killedAt());
            spends += m.spendsDuringKill();
        }
        boolean within = all && worstStop <= STOP_BOUND_MILLIS && spends == 0;
        lines.add("kill switch summary: " + agents.size() + " agents, spending stopped max " + worstStop + " ms after the kill (the ledger), "
                + "noticed max " + worstNotice + " ms (the journals), release to resume max " + worstResume + " ms, " + spends
                + " spends during the kill: " + (within ? "every agent stopped within a second and resumed"
                : "NOT every agent stopped within a second and resumed"));
        return lines;
    }
}
