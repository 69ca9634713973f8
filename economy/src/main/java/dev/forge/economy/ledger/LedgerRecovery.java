package dev.forge.economy.ledger;

import java.util.List;

/**
 * Rebuilds the state from the journal on open, and refuses a ledger that does not check:
 * every command must apply again under the same rules, every trade's two signatures must
 * verify, and the sums must balance. A refusal leaves the file untouched.
 */
final class LedgerRecovery {
    private LedgerRecovery() {}

    /** Returns the ledger time of the last record, or zero for a new ledger. */
    static long recover(Journal journal, LedgerState state) {
        long[] lastTime = {0};
        journal.replay(record -> {
            List<Command> commands = record.commands();
            for (int i = 0; i < commands.size(); i++) {
                try {
                    state.apply(commands.get(i), record.time());
                } catch (LedgerException e) {
                    throw Journal.corrupt("command " + i + " of record " + record.sequence()
                            + " is refused on replay (" + e + ")", e);
                }
            }
            lastTime[0] = record.time();
        });
        verifySignatures(state);
        Invariants invariants = state.invariants();
        if (!invariants.hold()) throw Journal.corrupt("the balances do not add up: " + invariants, null);
        return lastTime[0];
    }

    /** Keys never change once an account exists, so all trades can be checked after replay, in parallel. */
    private static void verifySignatures(LedgerState state) {
        state.trades().parallelStream().forEach(trade -> {
            Account consumer = state.accountOrNull(trade.consumer());
            Account provider = state.accountOrNull(trade.provider());
            try {
                trade.signed().verify(consumer.publicKey(), provider.publicKey());
            } catch (LedgerException e) {
                throw Journal.corrupt("trade " + trade.id() + " does not verify (" + e + ")", e);
            }
        });
    }
}
