package dev.forge.policies;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/**
 * A spend above the agent's approval threshold, held until a human decides. Its money is
 * already reserved by a ledger hold, so approving it can never fail for lack of funds. It
 * binds its request (agent, action, payee, amount, arguments' digest) and is used at most once.
 */
public record Approval(String id, SpendRequest request, long holdId, long createdAt, long expiresAt,
                       Status status, String decidedBy, String reason) {
    private static final String V1 = "forge/approval/v1";
    private static final String V2 = "forge/approval/v2";

    /** Where an approval stands. Each status has a fixed {@link #code()}, the byte the store keeps. */
    public enum Status {
        PENDING(0),
        APPROVED(1),
        DENIED(2),
        EXPIRED(3),
        /** Approved, and its spend was resumed: it cannot be used again. */
        USED(4),
        /** Its spend was cancelled (the kill switch) before it was used. */
        CANCELLED(5);

        private final int code;

        Status(int code) {
            this.code = code;
        }

        /** The byte that stands for this status in the safety store; never reused or changed. */
        public int code() {
            return code;
        }

        /** The status a stored byte stands for; a byte no status has means the record is corrupt. */
        public static Status fromCode(int code) {
            for (Status status : values()) if (status.code == code) return status;
            throw new IllegalStateException("unknown approval status code " + code);
        }
    }

    Approval decide(Status next, String by, String why) {
        return new Approval(id, request, holdId, createdAt, expiresAt, next, by, why);
    }

    byte[] encode() {
        return new CanonicalWriter(256).string(V2).string(id).string(request.agent())
                .string(request.payee()).string(request.action().code()).string(request.model()).i64(request.amount())
                .string(request.key()).string(request.digest()).i64(holdId).i64(createdAt).i64(expiresAt)
                .u8(status.code()).string(decidedBy).string(reason).toByteArray();
    }

    static Approval decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        String version = in.string();
        if (!V1.equals(version) && !V2.equals(version)) throw new IllegalStateException("unknown approval record");
        String id = in.string();
        String agent = in.string();
        String payee = in.string();
        SpendAction action = SpendAction.fromCode(in.string());
        String model = in.string();
        long amount = in.i64();
        String key = in.string();
        String digest = V2.equals(version) ? in.string() : "";
        var request = new SpendRequest(agent, payee, action, model, amount, key, digest);
        return new Approval(id, request, in.i64(), in.i64(), in.i64(), Status.fromCode(in.u8()), in.string(), in.string());
    }
}
