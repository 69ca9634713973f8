package dev.forge.agent;

/**
 * The node said no: its stable code (docs/mcp.md, the node's {@code Refused}), its sentence,
 * and for {@code approval_required} the approval's id. {@code node_unreachable} means no answer.
 */
public final class Refusal extends RuntimeException {
    public static final String UNREACHABLE = "node_unreachable";
    private final String code;
    private final String approvalId;
    private final long held;

    public Refusal(String code, String message, String approvalId) {
        this(code, message, approvalId, 0);
    }

    /** @param held for {@code approval_required}: the µCU the node holds for the request, which an approval covers */
    public Refusal(String code, String message, String approvalId, long held) {
        super(message);
        this.code = code;
        this.approvalId = approvalId;
        this.held = held;
    }

    public String code() {
        return code;
    }

    /** The id to retry with, for {@code approval_required}; empty otherwise. */
    public String approvalId() {
        return approvalId;
    }

    /** What the held request may cost (the refusal's {@code amount_cu}), for {@code approval_required}; 0 otherwise. */
    public long held() {
        return held;
    }
}
