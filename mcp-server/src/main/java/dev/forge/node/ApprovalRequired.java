package dev.forge.node;

/** A spend waits for a human: the caller gets the approval id to retry with once it is approved. */
public final class ApprovalRequired extends RuntimeException {
    private final String approvalId;
    private final long amount;

    public ApprovalRequired(String approvalId, long amount, String message) {
        super(message);
        this.approvalId = approvalId;
        this.amount = amount;
    }

    public String approvalId() {
        return approvalId;
    }

    public long amount() {
        return amount;
    }
}
