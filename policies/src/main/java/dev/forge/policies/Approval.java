package dev.forge.policies;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/**
 * A spend above the agent's approval threshold, held until a human decides. Its money is
 * already reserved by a ledger hold, so approving it can never fail for lack of funds.
 */
public record Approval(String id, SpendRequest request, long holdId, long createdAt, long expiresAt,
                       Status status, String decidedBy, String reason) {
    public enum Status {
        PENDING,
        APPROVED,
        DENIED,
        EXPIRED
    }

    Approval decide(Status next, String by, String why) {
        return new Approval(id, request, holdId, createdAt, expiresAt, next, by, why);
    }

    byte[] encode() {
        return new CanonicalWriter(256).string("forge/approval/v1").string(id).string(request.agent())
                .string(request.payee()).string(request.action()).string(request.model()).i64(request.amount())
                .string(request.key()).i64(holdId).i64(createdAt).i64(expiresAt).u8(status.ordinal())
                .string(decidedBy).string(reason).toByteArray();
    }

    static Approval decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!"forge/approval/v1".equals(in.string())) throw new IllegalStateException("unknown approval record");
        String id = in.string();
        var request = new SpendRequest(in.string(), in.string(), in.string(), in.string(), in.i64(), in.string());
        return new Approval(id, request, in.i64(), in.i64(), in.i64(), Status.values()[in.u8()], in.string(), in.string());
    }
}
