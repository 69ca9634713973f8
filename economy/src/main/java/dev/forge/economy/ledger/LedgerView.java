package dev.forge.economy.ledger;

import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.WorkVerifier;
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
    private final Map<Long, SettledWork> work = new ConcurrentHashMap<>();
    private final Map<Long, Order> orders = new ConcurrentHashMap<>();
    private final Map<String, WorkVerifier.ChainTip> chainTips = new ConcurrentHashMap<>();
    private final MerkleLog merkle;
    private volatile long transferCount;
    private volatile long tradeCount;
    private volatile long logSize;

    record Order(AcceptedOrder order, WorkStatus status) {}

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

    void addSettledWork(SettledWork settled) {
        work.put(settled.id(), settled);
    }

    void putOrder(AcceptedOrder order, WorkStatus status) {
        orders.put(order.id(), new Order(order, status));
    }

    void putChainTip(String provider, WorkVerifier.ChainTip tip) {
        chainTips.put(provider, tip);
    }

    /** The log size last, so that a reader who sees it also sees every entry below it. */
    void setCounts(long trades, long entries) {
        tradeCount = trades;
        logSize = entries;
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
        return id >= 1 && id <= logSize ? trades.get(id) : null;
    }

    SettledWork settledWork(long id) {
        return id >= 1 && id <= logSize ? work.get(id) : null;
    }

    Order order(long id) {
        return orders.get(id);
    }

    WorkVerifier.ChainTip chainTip(String provider) {
        return chainTips.getOrDefault(provider, WorkVerifier.ChainTip.empty());
    }

    long logSize() {
        return logSize;
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
