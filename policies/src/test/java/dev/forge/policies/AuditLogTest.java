package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

class AuditLogTest extends PipelineFixture {
    @Test
    void everyDecisionIsRecordedWithItsReason() {
        spend(ALICE, 1 * CU);
        spend(ALICE, 60 * CU);
        spend(ALICE, 30 * CU);
        pipeline.kill(BOB, "looks odd");
        spend(ALICE, 1 * CU);
        pipeline.audit().flush();
        List<AuditEntry> entries = pipeline.audit().recent(100);
        List<String> outcomes = entries.stream().map(e -> e.outcome() + ":" + e.code()).toList();
        assertTrue(outcomes.containsAll(List.of("allowed:", "refused:budget_request", "held:approval_required",
                "killed:", "cancelled:", "refused:kill_switch")), outcomes.toString());
        AuditEntry kill = entries.stream().filter(e -> e.action().equals("kill")).findFirst().orElseThrow();
        assertEquals("bob", kill.actor());
        assertEquals("looks odd", kill.reason());
    }

    @Test
    void theChainSurvivesARestartAndContinues() {
        spend(ALICE, 1 * CU);
        restart();
        long before = pipeline.audit().size();
        assertTrue(before >= 1);
        spend(ALICE, 1 * CU);
        pipeline.audit().flush();
        assertEquals(before + 1, pipeline.audit().size());
        pipeline.audit().verifyChain();
    }

    @Test
    void anAlteredEntryBreaksTheChain() {
        spend(ALICE, 1 * CU);
        spend(ALICE, 2 * CU);
        pipeline.audit().flush();
        pipeline.close();
        try (var db = DBMaker.fileDB(dir.resolve("safety").resolve(SafetyStore.FILE_NAME).toFile())
                .fileChannelEnable().transactionEnable().make()) {
            var audit = db.treeMap("audit", Serializer.LONG, Serializer.BYTE_ARRAY).open();
            AuditEntry first = AuditEntry.decode(audit.get(1L));
            var forged = new AuditEntry(1, first.time(), first.actor(), first.action(), first.agent(), 1, first.outcome(),
                    first.code(), "nothing to see", first.previousHash());
            audit.put(1L, forged.encode());
            db.commit();
        }
        assertThrows(IllegalStateException.class,
                () -> SpendPipeline.open(dir.resolve("safety"), ledger, config()));
        pipeline = SpendPipeline.open(dir.resolve("other"), ledger, config()); // for the fixture's close
    }
}
