package dev.forge.node.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.work.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * One delivery as the node checked it on arrival: every check's verdict, and the attestation
 * as sent. A provider's verification rate is computed over these.
 *
 * @param value µCU the attestation claimed (amount plus the order's reward): a chain's weight
 */
public record DeliveryRecord(long orderId, String provider, boolean verified, long value, long at, List<Check> checks,
                             byte[] attestation) {
    private static final String TAG = "forge/delivery-check/v1";

    public DeliveryRecord {
        checks = List.copyOf(checks);
        attestation = attestation.clone();
    }

    @Override
    public byte[] attestation() {
        return attestation.clone();
    }

    public Check firstFailure() {
        return checks.stream().filter(c -> c.verdict() == Check.Verdict.FAIL).findFirst().orElse(null);
    }

    byte[] encode() {
        var out = new CanonicalWriter(256 + attestation.length).string(TAG).i64(orderId).string(provider).bool(verified)
                .i64(value).i64(at).i32(checks.size());
        for (Check c : checks) out.string(c.name()).u8(c.verdict().ordinal()).string(c.code()).string(c.reason());
        return out.bytes(attestation).toByteArray();
    }

    static DeliveryRecord decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!TAG.equals(in.string())) throw new IllegalStateException("not a delivery check record");
        long orderId = in.i64();
        String provider = in.string();
        boolean verified = in.bool();
        long value = in.i64();
        long at = in.i64();
        int count = in.i32();
        List<Check> checks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            checks.add(new Check(in.string(), Check.Verdict.values()[in.u8()], in.string(), in.string()));
        }
        var record = new DeliveryRecord(orderId, provider, verified, value, at, checks, in.bytes());
        in.expectEnd();
        return record;
    }
}
