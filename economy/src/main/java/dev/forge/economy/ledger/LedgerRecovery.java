package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Rebuilds the state from the journal on open, and refuses a ledger that does not check:
 * every command must apply again under the same rules (accepting an order checks its
 * signature again, settling work its binding and chain), every trade's two signatures and
 * every settled attestation's signature must verify, and the sums must balance. A refusal leaves the file untouched.
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
        verifyAttestations(state);
        Invariants invariants = state.invariants();
        if (!invariants.hold()) throw Journal.corrupt("the balances do not add up: " + invariants, null);
        return lastTime[0];
    }

    /** Replay re-ran every other check of settled work; the attestations' signatures are checked here, in parallel. */
    private static void verifyAttestations(LedgerState state) {
        state.settledWork().parallelStream().forEach(work -> {
            String signer = state.attestedBy(work);
            byte[] key = state.accountOrNull(signer).publicKey();
            if (!work.attestation().verifies(Ed25519.PublicKey.decode(key))) {
                throw Journal.corrupt("settled work " + work.id() + " does not verify (invalid_signature: the attestation's"
                        + " signature is not " + signer + "'s)", null);
            }
        });
    }

    /** Keys never change once an account exists, so all trades can be checked after replay, in parallel. */
    private static void verifySignatures(LedgerState state) {
        Map<String, Optional<Ed25519.PublicKey>> keys = new ConcurrentHashMap<>();
        Function<String, Ed25519.PublicKey> key = id -> keys.computeIfAbsent(id,
                account -> Optional.ofNullable(Ed25519.PublicKey.decode(state.accountOrNull(account).publicKey()))).orElse(null);
        state.trades().parallelStream().forEach(trade -> {
            try {
                trade.signed().verify(key.apply(trade.consumer()), key.apply(trade.provider()));
            } catch (LedgerException e) {
                throw Journal.corrupt("trade " + trade.id() + " does not verify (" + e + ")", e);
            }
        });
    }
}
