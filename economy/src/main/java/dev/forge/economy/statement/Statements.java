package dev.forge.economy.statement;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.Phase;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.ledger.Transfer;
import dev.forge.economy.market.MarketException;
import java.util.ArrayList;
import java.util.List;

/** Builds and signs settlement statements from the ledger. */
public final class Statements {
    private final Ledger ledger;
    private final Ed25519.KeyPair nodeKey;

    public Statements(Ledger ledger, Ed25519.KeyPair nodeKey) {
        this.ledger = ledger;
        this.nodeKey = nodeKey;
    }

    /** The statement of {@code account} for [from, to), signed now. */
    public Statement statement(String account, long from, long to) {
        MarketException.require(ledger.account(account).isPresent(), MarketException.Code.UNKNOWN_ACCOUNT, "no account " + account);
        MarketException.require(from >= 0 && from < to, MarketException.Code.INVALID_ARGUMENT, "a period needs from < to");
        // Root and size first: every trade proven below is at most this old.
        long treeSize = ledger.logSize();
        byte[] root = ledger.merkleRoot(treeSize);
        long opening = 0;
        long debits = 0;
        long credits = 0;
        List<Statement.Entry> entries = new ArrayList<>();
        for (long id = 1; id <= ledger.transferCount(); id++) {
            Transfer t = ledger.findTransfer(id).orElseThrow();
            boolean out = t.debitAccount().equals(account);
            if (!out && !t.creditAccount().equals(account)) continue;
            if (t.timestamp() >= to) continue;
            long change = posted(t) * (out ? -1 : 1);
            if (t.timestamp() < from) {
                opening += change;
                continue;
            }
            if (change < 0) debits -= change;
            else credits += change;
            entries.add(new Statement.Entry(t.id(), t.timestamp(), t.phase().name().toLowerCase(java.util.Locale.ROOT),
                    out ? t.creditAccount() : t.debitAccount(), t.amount(), change, t.code()));
        }
        List<Statement.TradeProof> trades = new ArrayList<>();
        for (long id = 1; id <= treeSize; id++) {
            Statement.TradeProof entry = logEntry(id, treeSize);
            boolean mine = entry.consumer().equals(account) || entry.provider().equals(account);
            long settledAt = settledAt(id);
            if (!mine || settledAt < from || settledAt >= to) continue;
            trades.add(entry);
        }
        var unsigned = new Statement(account, from, to, opening, opening + credits - debits, debits, credits, entries, trades,
                treeSize, root, nodeKey.publicKey(), new byte[Ed25519.SIGNATURE_SIZE]);
        return new Statement(account, from, to, opening, unsigned.closing(), debits, credits, entries, trades, treeSize,
                root, nodeKey.publicKey(), nodeKey.sign(unsigned.signedBytes()));
    }

    /**
     * A trade (the chats before issue 14) or settled work (every chat since, and every other
     * provider's delivery): both are leaves of the one log, and both are proven the same way.
     */
    private Statement.TradeProof logEntry(long id, long treeSize) {
        Trade trade = ledger.trade(id).orElse(null);
        if (trade != null) {
            return new Statement.TradeProof(id, trade.consumer(), trade.provider(), trade.amount(), trade.leafHash(),
                    ledger.proof(id, treeSize));
        }
        SettledWork work = ledger.settledWork(id).orElseThrow();
        return new Statement.TradeProof(id, work.order().order().buyer(), work.provider(), work.paid(), work.leafHash(),
                ledger.proof(id, treeSize));
    }

    private long settledAt(long id) {
        return ledger.trade(id).map(Trade::settledAt).orElseGet(() -> ledger.settledWork(id).orElseThrow().settledAt());
    }

    /** What a transfer moved between posted balances: holds and voids move nothing. */
    private static long posted(Transfer t) {
        return t.phase() == Phase.SINGLE || t.phase() == Phase.POST ? t.amount() : 0;
    }
}
