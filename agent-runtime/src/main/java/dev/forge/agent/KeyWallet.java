package dev.forge.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's own book of its key account, which the node shows only to its operator: what
 * its work earned ({@link Earnings}) less what its orders hold while open and paid once
 * settled; a void order holds nothing. A lower bound: CU the account held before this run is
 * not counted.
 */
final class KeyWallet {
    private final Earnings earnings;
    private final Map<Long, Long> committed = new LinkedHashMap<>();

    KeyWallet(Earnings earnings) {
        this.earnings = earnings;
    }

    void held(long orderId, long amount) {
        committed.put(orderId, amount);
    }

    void settled(long orderId, long paid) {
        committed.put(orderId, paid);
    }

    void voided(long orderId) {
        committed.remove(orderId);
    }

    long earned() {
        return earnings.earned();
    }

    long committed() {
        return committed.values().stream().mapToLong(Long::longValue).sum();
    }

    long spendable() {
        return Math.max(0, earned() - committed());
    }
}
