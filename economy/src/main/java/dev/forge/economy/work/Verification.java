package dev.forge.economy.work;

import java.util.List;
import java.util.Optional;

/** Every check of one order and its attestation; it verifies when none failed. */
public record Verification(List<Check> checks) {
    public Verification {
        checks = List.copyOf(checks);
    }

    public boolean verified() {
        return firstFailure().isEmpty();
    }

    public Optional<Check> firstFailure() {
        return checks.stream().filter(c -> c.verdict() == Check.Verdict.FAIL).findFirst();
    }
}
