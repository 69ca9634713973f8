package dev.forge.grid;

/** An entry the applier will not apply, with the code that says why. */
public final class GridRefusedException extends RuntimeException {
    private final GridRefusal refusal;

    public GridRefusedException(GridRefusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public GridRefusal refusal() {
        return refusal;
    }

    static void require(boolean condition, GridRefusal refusal, String message) {
        if (!condition) throw new GridRefusedException(refusal, message);
    }
}
