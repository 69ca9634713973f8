package dev.forge.economy.work;

/**
 * One check of a chain, as an auditor reports it.
 *
 * @param name what was checked, e.g. "binding.amount"
 * @param code a stable refusal code when it did not pass, "" when it did
 */
public record Check(String name, Verdict verdict, String code, String reason) {
    /** Inconclusive is neither: a re-execution on another kernel path that differs proves nothing. */
    public enum Verdict { PASS, FAIL, INCONCLUSIVE }

    static Check pass(String name) {
        return new Check(name, Verdict.PASS, "", "");
    }

    static Check fail(String name, String code, String reason) {
        return new Check(name, Verdict.FAIL, code, reason);
    }

    static Check inconclusive(String name, String code, String reason) {
        return new Check(name, Verdict.INCONCLUSIVE, code, reason);
    }

    static Check of(String name, boolean passed, String code, String reason) {
        return passed ? pass(name) : new Check(name, Verdict.FAIL, code, reason);
    }

    public boolean passed() {
        return verdict == Verdict.PASS;
    }
}
