package dev.forge.node;

import dev.forge.economy.market.Cu;
import dev.forge.economy.statement.Statement;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** A signed statement as JSON, the same on every surface (the REST download and the MCP resource). */
public final class StatementJson {
    private static final HexFormat HEX = HexFormat.of();

    private StatementJson() {
    }

    public static Map<String, Object> of(Statement s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account", s.account());
        out.put("from", s.from());
        out.put("to", s.to());
        out.put("opening_cu", Cu.format(s.opening()));
        out.put("credits_cu", Cu.format(s.credits()));
        out.put("debits_cu", Cu.format(s.debits()));
        out.put("closing_cu", Cu.format(s.closing()));
        out.put("entries", s.entries().stream().map(e -> Map.of("transfer_id", e.transferId(), "at", e.timestamp(),
                "phase", e.phase(), "counterparty", e.counterparty(), "amount_cu", Cu.format(e.amount()),
                "change_cu", Cu.format(e.change()), "code", e.code())).toList());
        out.put("trades", s.trades().stream().map(t -> Map.of("trade_id", t.tradeId(), "consumer", t.consumer(),
                "provider", t.provider(), "amount_cu", Cu.format(t.amount()), "leaf_hash", HEX.formatHex(t.leafHash()),
                "leaf_index", t.proof().leafIndex(), "proof", t.proof().pathHex())).toList());
        out.put("tree_size", s.treeSize());
        out.put("merkle_root", HEX.formatHex(s.merkleRoot()));
        out.put("node_key", HEX.formatHex(s.nodeKey()));
        // The exact bytes the node signed (canonical encoding of everything above), so anyone can check the signature.
        out.put("signed_bytes_base64", Base64.getEncoder().encodeToString(s.signedBytes()));
        out.put("signature", HEX.formatHex(s.signature()));
        return out;
    }
}
