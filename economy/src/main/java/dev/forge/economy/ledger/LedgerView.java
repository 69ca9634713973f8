package dev.forge.economy.ledger;

import dev.forge.economy.merkle.MerkleLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What readers see: only committed, durable state. The writer publishes into it after each
 * group commit; any thread may read it without waiting for the writer.
 */
final class LedgerView {
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<Long, Transfer> transfers = new ConcurrentHashMap<>();
    private final Map<Long, HoldStatus> holds = new ConcurrentHashMap<>();
    private final Map<Long, Trade> trades = new ConcurrentHashMap<>();
    private final MerkleLog merkle;
    private volatile long transferCount;
    private volatile long tradeCount;

    LedgerView(MerkleLog merkle) {
        this.merkle = merkle;
    }

    void putAccount(Account account) {
        accounts.put(account.id(), account);
    }

    void putHold(long id, HoldStatus status) {
        holds.put(id, status);
    }

    void addTransfer(Transfer transfer) {
        transfers.put(transfer.id(), transfer);
        transferCount = transfer.id();
    }

    void addTrade(Trade trade) {
        trades.put(trade.id(), trade);
    }

    void setTradeCount(long count) {
        tradeCount = count;
    }

    Account account(String id) {
        return accounts.get(id);
    }

    Iterable<Account> accounts() {
        return accounts.values();
    }

    Transfer transfer(long id) {
        return transfers.get(id);
    }

    HoldStatus hold(long id) {
        return holds.get(id);
    }

    Trade trade(long id) {
        return id >= 1 && id <= tradeCount ? trades.get(id) : null;
    }

    long transferCount() {
        return transferCount;
    }

    long tradeCount() {
        return tradeCount;
    }

    MerkleLog merkle() {
        return merkle;
    }
}
