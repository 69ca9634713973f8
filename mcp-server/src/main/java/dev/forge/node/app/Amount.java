package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.forge.economy.ledger.Limits;
import dev.forge.economy.market.Cu;
import dev.forge.node.app.CallRefused;

/**
 * An amount of CU as every surface writes it: a decimal string of the form {@link Cu#PATTERN}
 * (its JSON Schema says so), held as exact µCU. Read with {@link Cu#parse}, written with {@link Cu#format}.
 */
public record Amount(long micro) {
    public static Amount of(long micro) {
        return new Amount(micro);
    }

    @JsonCreator
    public static Amount parse(String text) {
        return new Amount(Cu.parse(text));
    }

    @JsonValue
    public String text() {
        return Cu.format(micro);
    }

    /** µCU of an amount a caller asks to move: more than zero and within the ledger's limit. */
    public long positive(String name) {
        if (micro <= 0) throw CallRefused.invalid(name + " must be positive");
        if (micro > Limits.MAX_AMOUNT) throw CallRefused.invalid(name + " is beyond the ledger's limit");
        return micro;
    }

    /** µCU of an optional amount, zero when absent. */
    public static long orZero(Amount amount, String name) {
        return amount == null ? 0 : amount.positive(name);
    }
}
