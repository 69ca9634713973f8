package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The safety store's records are a file format: {@code safety-records-v1.golden} holds
 * {@link #records()} as the code of December 2026 wrote them (before enums had explicit codes),
 * and they must read back the same and write the same bytes. Never regenerated to pass a test.
 * Its format: a 4-byte count, then each record as a 4-byte length and its bytes.
 */
class SafetyRecordsCompatibilityTest {
    private static final String GOLDEN = "safety-records-v1.golden";
    private static final String DIGEST = "ab".repeat(32);

    /** An approval in every status, for every action, and one of each other record the store keeps. */
    static List<Object> records() {
        List<Object> records = new ArrayList<>();
        SpendAction[] actions = {SpendAction.CHAT, SpendAction.LEND, SpendAction.BORROW, SpendAction.REPAY, SpendAction.CHAT,
                SpendAction.LEND};
        Approval.Status[] statuses = {Approval.Status.PENDING, Approval.Status.APPROVED, Approval.Status.DENIED,
                Approval.Status.EXPIRED, Approval.Status.USED, Approval.Status.CANCELLED};
        for (int i = 0; i < statuses.length; i++) {
            var request = new SpendRequest("alice", i % 2 == 0 ? "node" : "escrow", actions[i], i == 0 ? "stories260K" : "",
                    (i + 1) * 1_000_000L, "key-" + i, i == 3 ? "" : DIGEST);
            records.add(new Approval("ap_000000000000000" + i, request, 10 + i, 1_800_000_000_000L, 1_800_000_600_000L,
                    statuses[i], i == 0 ? "" : "operator", i == 0 ? "" : "reason " + i));
        }
        records.add(new KillState(true, "operator", "drill", 1_800_000_000_123L));
        records.add(new BudgetPolicy(5_000_000, 20_000_000, 100_000_000, 2_500_000, true));
        records.add(new AuditEntry(7, 1_800_000_000_456L, "alice", "borrow", "alice", 3_000_000, "refused", "budget_hour",
                "the last hour's spending", new byte[32]));
        return records;
    }

    private static byte[] encode(Object record) {
        return switch (record) {
            case Approval a -> a.encode();
            case KillState k -> k.encode();
            case BudgetPolicy b -> b.encode();
            case AuditEntry e -> e.encode();
            default -> throw new IllegalArgumentException(record.toString());
        };
    }

    @Test
    void theGoldenRecordsStillReadTheSame() throws IOException {
        List<byte[]> golden = golden();
        List<Object> expected = records();
        assertEquals(expected.size(), golden.size());
        for (int i = 0; i < expected.size(); i++) {
            byte[] bytes = golden.get(i);
            Object read = switch (expected.get(i)) {
                case Approval ignored -> Approval.decode(bytes);
                case KillState ignored -> KillState.decode(bytes);
                case BudgetPolicy ignored -> BudgetPolicy.decode(bytes);
                case AuditEntry ignored -> AuditEntry.decode(bytes);
                default -> throw new IllegalArgumentException();
            };
            if (read instanceof AuditEntry entry) {
                assertEquals(expected.get(i).toString(), entry.toString());
            } else {
                assertEquals(expected.get(i), read, "record " + i);
            }
        }
    }

    @Test
    void theSameRecordsStillWriteTheGoldenBytes() throws IOException {
        List<byte[]> golden = golden();
        List<Object> records = records();
        for (int i = 0; i < records.size(); i++) assertArrayEquals(golden.get(i), encode(records.get(i)), "record " + i);
    }

    /** Run once, by hand, to create the fixture: {@code -Dforge.golden.write=true}. */
    @Test
    @EnabledIfSystemProperty(named = "forge.golden.write", matches = "true")
    void writeGolden() throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            List<Object> records = records();
            out.writeInt(records.size());
            for (Object record : records) {
                byte[] encoded = encode(record);
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        }
        Path target = Path.of("src/test/resources/dev/forge/policies", GOLDEN);
        Files.createDirectories(target.getParent());
        Files.write(target, bytes.toByteArray());
    }

    private static List<byte[]> golden() throws IOException {
        try (InputStream stream = SafetyRecordsCompatibilityTest.class.getResourceAsStream(GOLDEN);
             var in = new DataInputStream(stream)) {
            int count = in.readInt();
            List<byte[]> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) records.add(in.readNBytes(in.readInt()));
            return records;
        }
    }
}
