package dev.forge.agent;

/**
 * The node said no: its stable code (docs/mcp.md, the node's {@code Refused}), its sentence,
 * and for {@code approval_required} the approval's id. {@code node_unreachable} means no answer.
 */
public final class Refusal extends RuntimeException {
    public static final String UNREACHABLE = "node_unreachable";
    private final String code;
    private final String approvalId;

    public Refusal(String code, String message, String approvalId) {
        super(message);
        this.code = code;
        this.approvalId = approvalId;
    }

    public String code() {
        return code;
    }

    /** The id to retry with, for {@code approval_required}; empty otherwise. */
    public String approvalId() {
        return approvalId;
    }
}
