package dev.forge.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.market.Cu;
import dev.forge.node.cli.NodeClient;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One agent's numbers as the node answers them to its operator: the signed statements of its
 * two accounts (its agent account and its key account), the loans, the providers' offers and
 * the verification rate of its key. Nothing here is counted by the agents themselves.
 *
 * @param earned µCU its key account was paid for work it delivered
 * @param spent µCU its accounts paid for chats and orders
 * @param borrowed µCU of loans paid out to it
 * @param repaid µCU it paid back on loans
 * @param lent µCU it deposited in the pool less what it withdrew (not in its balance)
 * @param owed µCU its active loans owe now
 * @param tiers the tiers of the providers its key account paid for orders (the statement's WORK payments)
 * @param verified its key's verification rate as the node states it, or "-" when it sold nothing
 * @param balance µCU on its two accounts together
 * @param remoteChats its chats another grid node served: payments of its agent account to a {@code peer:} account
 */
record Books(String agent, long earned, long spent, long borrowed, long repaid, long lent, long owed, String tiers, String verified,
             long balance, int remoteChats) {

    /**
     * Reads one agent's books since {@code from} (epoch ms: the first round's start, so the setup before it is not counted;
     * the balance is all of it); {@code tiers} maps a provider account to the tier it offers.
     */
    static Books read(NodeClient node, String agent, String keyAccount, Map<String, String> tiers, JsonNode loans, long from)
            throws java.io.IOException, InterruptedException {
        JsonNode own = statement(node, agent, from);
        JsonNode key = statement(node, keyAccount, from);
        long earned = sum(key, TransferCode.WORK, true);
        long spent = sum(own, TransferCode.TRADE, false) + sum(own, TransferCode.WORK, false) + sum(key, TransferCode.WORK, false)
                + sum(own, TransferCode.FEE, false) + sum(key, TransferCode.FEE, false);
        long borrowed = sum(own, TransferCode.LOAN, true) + sum(key, TransferCode.LOAN, true);
        long repaid = sum(own, TransferCode.REPAYMENT, false) + sum(key, TransferCode.REPAYMENT, false);
        long lent = sum(own, TransferCode.DEPOSIT, false) - sum(own, TransferCode.WITHDRAWAL, true);
        long owed = 0;
        for (JsonNode loan : loans.path("loans")) {
            if (loan.path("borrower").asText().equals(agent) && loan.path("status").asText().equals("active")) {
                owed += Cu.parse(loan.path("owed_cu").asText());
            }
        }
        var used = new TreeSet<String>();
        for (JsonNode e : key.path("entries")) { // its orders' payments: settled work is not a chat trade, so not in "trades"
            if (e.path("code").asInt() == TransferCode.WORK && signed(e.path("change_cu").asText()) < 0) {
                used.add(tiers.getOrDefault(e.path("counterparty").asText(), "?"));
            }
        }
        int remote = 0;
        for (JsonNode e : own.path("entries")) { // a chat bought from another node: paid to that node's peer: account
            if (e.path("counterparty").asText().startsWith(PEER) && signed(e.path("change_cu").asText()) < 0) {
                remote++;
                used.add(tiers.getOrDefault(e.path("counterparty").asText(), "?"));
            }
        }
        long balance = signed(own.path("closing_cu").asText()) + signed(key.path("closing_cu").asText());
        return new Books(agent, earned, spent, borrowed, repaid, lent, owed, used.isEmpty() ? "-" : String.join("+", used),
                verification(node, keyAccount), balance, remote);
    }

    /** The prefix of the account that pays another grid node (docs/grid.md, "The books"). */
    static final String PEER = "peer:";

    /** provider account to tier, from every offer the node lists; another node's {@code peer:} account to the tiers it offers. */
    static Map<String, String> tiers(NodeClient node) throws java.io.IOException, InterruptedException {
        Map<String, String> tiers = new java.util.HashMap<>();
        JsonNode offers = node.get("/v1/forge/providers");
        for (JsonNode offer : offers.path("providers")) {
            tiers.put(offer.path("provider").asText(), offer.path("tier").asText().toLowerCase(Locale.ROOT));
        }
        for (JsonNode offer : offers.path("remote")) {
            String tier = offer.path("tier").asText().toLowerCase(Locale.ROOT);
            tiers.merge(PEER + offer.path("node").asText(), tier, (a, b) -> a.contains(b) ? a : a + "+" + b);
        }
        return tiers;
    }

    private static JsonNode statement(NodeClient node, String account, long from) throws java.io.IOException, InterruptedException {
        return node.get("/v1/forge/statement?from=" + from + "&account=" + NodeClient.query(account));
    }

    /** The posted changes of one code: what came in ({@code in}) or went out, in µCU. */
    private static long sum(JsonNode statement, int code, boolean in) {
        long total = 0;
        for (JsonNode e : statement.path("entries")) {
            if (e.path("code").asInt() != code) continue;
            long change = signed(e.path("change_cu").asText());
            if (in && change > 0) total += change;
            if (!in && change < 0) total -= change;
        }
        return total;
    }

    /** A CU string that may start with '-' (a statement's changes), strictly parsed. */
    static long signed(String text) {
        return text.startsWith("-") ? -Cu.parse(text.substring(1)) : Cu.parse(text);
    }

    private static String verification(NodeClient node, String keyAccount) throws java.io.IOException, InterruptedException {
        JsonNode rate = node.get("/v1/forge/verify/" + NodeClient.query(keyAccount));
        int checked = rate.path("checked").asInt();
        if (checked == 0 && rate.path("completed").asInt() == 0) return "-";
        return rate.path("rate_ppm").asLong() / 10_000 + "% (" + rate.path("passed").asInt() + "/" + checked + ")";
    }
}
