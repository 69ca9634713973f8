package dev.forge.economy.ledger;

import dev.forge.economy.work.Check;
import dev.forge.economy.work.Verification;
import java.util.stream.Collectors;

/** An attestation that did not verify: the code is its first failed check's, and every check is kept. */
public final class WorkRefusedException extends LedgerException {
    private final transient Verification verification;

    WorkRefusedException(Verification verification) {
        super(LedgerError.ofCode(verification.firstFailure().orElseThrow().code()), describe(verification));
        this.verification = verification;
    }

    public Verification verification() {
        return verification;
    }

    private static String describe(Verification verification) {
        return "the attestation does not verify, so nothing was paid: " + verification.checks().stream()
                .filter(c -> c.verdict() == Check.Verdict.FAIL).map(c -> c.name() + " (" + c.reason() + ")")
                .collect(Collectors.joining("; "));
    }
}
