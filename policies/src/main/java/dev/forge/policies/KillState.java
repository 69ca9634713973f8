package dev.forge.policies;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/** Whether the node's spending is frozen, who changed that last, why and when. */
public record KillState(boolean active, String by, String reason, long at) {
    public static final KillState RELEASED = new KillState(false, "", "", 0);
    /** The longest reason, in characters (code points), on every surface: MCP, REST, CLI. */
    public static final int MAX_REASON = 200;

    /**
     * Refuses a reason that is empty, longer than {@link #MAX_REASON}, or not plain printable
     * text: control and format characters (line breaks, bidi overrides), unpaired surrogates,
     * unassigned code points, and the quote marks « » that refusals put around it.
     */
    public static void requireValidReason(String reason) {
        PolicyException.require(reason != null && !reason.isBlank(), Refusal.INVALID_ARGUMENT, "give a reason");
        PolicyException.require(reason.length() <= 2 * MAX_REASON && reason.codePointCount(0, reason.length()) <= MAX_REASON,
                Refusal.INVALID_ARGUMENT, "a reason is at most " + MAX_REASON + " characters");
        PolicyException.require(reason.codePoints().allMatch(KillState::printable), Refusal.INVALID_ARGUMENT,
                "a reason is printable text on one line, without control characters or « »");
    }

    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> c != '«' && c != '»';
        };
    }

    /** The reason as refusals show it: the words of whoever pulled the switch, quoted as data. */
    public String quoted() {
        String who = Actor.operator().id().equals(by) ? "the operator" : "agent " + by;
        return "reason given by " + who + ": «" + reason + "»";
    }

    byte[] encode() {
        return new CanonicalWriter(96).string("forge/kill/v1").bool(active).string(by).string(reason).i64(at).toByteArray();
    }

    static KillState decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!"forge/kill/v1".equals(in.string())) throw new IllegalStateException("unknown kill switch record");
        return new KillState(in.bool(), in.string(), in.string(), in.i64());
    }
}
