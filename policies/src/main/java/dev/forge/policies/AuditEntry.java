package dev.forge.policies;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import java.util.HexFormat;

/**
 * One decision or action, as the audit log keeps it: immutable, numbered, and chained to the
 * entry before by its hash, so a removed or altered entry breaks the chain.
 *
 * @param outcome {@code allowed}, {@code held}, {@code refused}, or what an action did
 * @param code the refusal code, or empty
 */
public record AuditEntry(long sequence, long time, String actor, String action, String agent, long amount,
                         String outcome, String code, String reason, byte[] previousHash) {
    static final String TAG = "forge/audit/v1";

    byte[] encode() {
        return new CanonicalWriter(256).string(TAG).i64(sequence).i64(time).string(actor).string(action).string(agent)
                .i64(amount).string(outcome).string(code).string(reason).fixed(previousHash, Sha256.SIZE).toByteArray();
    }

    static AuditEntry decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!TAG.equals(in.string())) throw new IllegalStateException("not an audit entry");
        var entry = new AuditEntry(in.i64(), in.i64(), in.string(), in.string(), in.string(), in.i64(), in.string(),
                in.string(), in.string(), in.fixed(Sha256.SIZE));
        in.expectEnd();
        return entry;
    }

    public String previousHashHex() {
        return HexFormat.of().formatHex(previousHash);
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + actor + " " + action + " " + agent + " " + amount + " " + outcome
                + (code.isEmpty() ? "" : " " + code) + ": " + reason;
    }
}
