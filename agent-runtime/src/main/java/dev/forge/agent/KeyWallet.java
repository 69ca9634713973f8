package dev.forge.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's own book of its key account: what its work earned ({@link Earnings}) less what
 * its orders hold while open and paid once settled (a void order holds nothing), plus what it
 * moved in from the agent account (a loan's proceeds) less what it moved out (earnings to repay
 * a loan). A lower bound: CU the account held before this run is not counted.
 */
final class KeyWallet {
    private final Earnings earnings;
    private final Map<Long, Long> committed = new LinkedHashMap<>();
    private long movedIn;
    private long movedOut;

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

    /** {@code move_funds}: CU moved to the key account from the agent account. */
    void movedIn(long amount) {
        movedIn = Math.addExact(movedIn, amount);
    }

    /** {@code move_funds}: CU moved from the key account to the agent account. */
    void movedOut(long amount) {
        movedOut = Math.addExact(movedOut, amount);
    }

    long movedIn() {
        return movedIn;
    }

    long movedOut() {
        return movedOut;
    }

    long earned() {
        return earnings.earned();
    }

    long committed() {
        return committed.values().stream().mapToLong(Long::longValue).sum();
    }

    long spendable() {
        return Math.max(0, earned() - committed() + movedIn - movedOut);
    }
}
