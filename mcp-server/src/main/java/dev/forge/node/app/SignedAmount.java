package dev.forge.node.app;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.forge.economy.market.Cu;

/**
 * An amount of CU that may be below zero, as answers write it: a balance of the treasury (which
 * issues every CU and so runs negative) or a change out of an account. Written with
 * {@link Cu#format}; its JSON Schema is {@link #PATTERN}. Never read from a caller: what a caller
 * asks to move is an {@link Amount}.
 */
public record SignedAmount(long micro) {
    /** A minus sign or none, then up to 13 digits (a long's µCU), then up to 6 decimals. */
    public static final String PATTERN = "^-?[0-9]{1,13}(\\.[0-9]{1,6})?$";
    public static final int MAX_LENGTH = 21;

    public static SignedAmount of(long micro) {
        return new SignedAmount(micro);
    }

    @JsonValue
    public String text() {
        return Cu.format(micro);
    }
}
