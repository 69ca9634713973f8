package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.statement.Statement;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** A signed statement as JSON, the same on every surface (the REST download and the MCP resource). */
public record StatementView(
        @JsonPropertyDescription("the account") String account,
        @JsonPropertyDescription("start of the period, ms since the epoch, inclusive") long from,
        @JsonPropertyDescription("end of the period, ms since the epoch, exclusive") long to,
        @JsonPropertyDescription("posted balance before from") SignedAmount openingCu,
        @JsonPropertyDescription("posted into the account in the period") Amount creditsCu,
        @JsonPropertyDescription("posted out of the account in the period") Amount debitsCu,
        @JsonPropertyDescription("posted balance at to: opening + credits - debits") SignedAmount closingCu,
        @JsonPropertyDescription("every transfer that touched the account, in order") List<Entry> entries,
        @JsonPropertyDescription("the account's trades, each with its Merkle inclusion proof") List<Trade> trades,
        @JsonPropertyDescription("trades in the Merkle tree the proofs are against") long treeSize,
        @JsonPropertyDescription("hex root of that tree") String merkleRoot,
        @JsonPropertyDescription("hex Ed25519 public key of the signing node") String nodeKey,
        @JsonPropertyDescription("the exact bytes the node signed (the canonical encoding of everything above), base64")
        String signedBytesBase64,
        @JsonPropertyDescription("hex Ed25519 signature over the signed bytes") String signature) {
    private static final HexFormat HEX = HexFormat.of();

    public record Entry(
            @JsonPropertyDescription("the ledger transfer") long transferId,
            @JsonPropertyDescription("when, ms since the epoch") long at,
            @JsonPropertyDescription("single, pending, post or void") String phase,
            @JsonPropertyDescription("the other account") String counterparty,
            @JsonPropertyDescription("the transfer's amount") Amount amountCu,
            @JsonPropertyDescription("its change to the posted balance: positive in, negative out, 0 for a hold or void")
            SignedAmount changeCu,
            @JsonPropertyDescription("the transfer's code") int code) {
    }

    public record Trade(
            @JsonPropertyDescription("the trade") long tradeId,
            @JsonPropertyDescription("who paid") String consumer,
            @JsonPropertyDescription("who was paid") String provider,
            @JsonPropertyDescription("what it cost") Amount amountCu,
            @JsonPropertyDescription("hex hash of its Merkle leaf") String leafHash,
            @JsonPropertyDescription("its leaf's index in the tree") long leafIndex,
            @JsonPropertyDescription("hex sibling hashes from the leaf to the root") List<String> proof) {
    }

    public static StatementView of(Statement s) {
        var entries = s.entries().stream().map(e -> new Entry(e.transferId(), e.timestamp(), e.phase(), e.counterparty(),
                Amount.of(e.amount()), SignedAmount.of(e.change()), e.code())).toList();
        var trades = s.trades().stream().map(t -> new Trade(t.tradeId(), t.consumer(), t.provider(), Amount.of(t.amount()),
                HEX.formatHex(t.leafHash()), t.proof().leafIndex(), t.proof().pathHex())).toList();
        return new StatementView(s.account(), s.from(), s.to(), SignedAmount.of(s.opening()), Amount.of(s.credits()),
                Amount.of(s.debits()), SignedAmount.of(s.closing()), entries, trades, s.treeSize(), HEX.formatHex(s.merkleRoot()),
                HEX.formatHex(s.nodeKey()), Base64.getEncoder().encodeToString(s.signedBytes()), HEX.formatHex(s.signature()));
    }
}
