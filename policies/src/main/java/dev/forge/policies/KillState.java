package dev.forge.policies;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/** Whether the node's spending is frozen, who changed that last, why and when. */
public record KillState(boolean active, String by, String reason, long at) {
    public static final KillState RELEASED = new KillState(false, "", "", 0);

    byte[] encode() {
        return new CanonicalWriter(96).string("forge/kill/v1").bool(active).string(by).string(reason).i64(at).toByteArray();
    }

    static KillState decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!"forge/kill/v1".equals(in.string())) throw new IllegalStateException("unknown kill switch record");
        return new KillState(in.bool(), in.string(), in.string(), in.i64());
    }
}
