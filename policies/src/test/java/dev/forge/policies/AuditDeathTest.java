package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/** The audit writer against what would stop it, on real MapDB files: spending never goes on unrecorded. */
class AuditDeathTest extends PipelineFixture {
    @Test
    void anEntryTooLargeForItsEncodingIsCutAtTheSourceAndTheWriterLivesOn() {
        Decision refused = pipeline.begin(Actor.agent("x".repeat(70_000)), chat("alice", 1 * CU));
        assertEquals(Refusal.UNAUTHORIZED, refused.refusal());
        pipeline.audit().flush();
        assertTrue(pipeline.audit().accepting(), pipeline.audit().problem().orElse(""));
        assertTrue(spend(ALICE, 1 * CU).allowed());
        pipeline.audit().flush();
        var entries = pipeline.audit().recent(10);
        AuditEntry cut = entries.stream().filter(e -> e.code().equals("unauthorized")).findFirst().orElseThrow();
        assertTrue(cut.actor().length() < 1_100, "cut to the field bound: " + cut.actor().length());
        assertTrue(cut.actor().endsWith("(cut from 70000 characters)"), cut.actor().substring(900));
        assertEquals("allowed", entries.getLast().outcome(), "the spend after it was recorded");
    }

    @Test
    void aStoppedWriterStopsSpendingAtOnceAndSaysWhy() throws Exception {
        assertTrue(spend(ALICE, 1 * CU).allowed());
        pipeline.audit().flush();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("forge-audit-writer")) t.interrupt();
        }
        for (int i = 0; i < 200 && pipeline.audit().accepting(); i++) Thread.sleep(10);
        long transfers = ledger.transferCount();
        long available = available("alice");
        Decision refused = spend(ALICE, 1 * CU);
        assertEquals(Refusal.POLICY_UNAVAILABLE, refused.refusal(), "refused at once, not after 65,536 more events");
        assertEquals(transfers, ledger.transferCount(), "nothing was held and voided: the refusal came before the ledger");
        assertEquals(available, available("alice"));
        assertFalse(pipeline.audit().accepting());
        assertTrue(pipeline.audit().problem().orElseThrow().contains("interrupted"), pipeline.audit().problem().orElseThrow());
        restart();
        assertTrue(spend(ALICE, 1 * CU).allowed(), "a restart starts a new writer on the same chain");
        pipeline.audit().flush();
        pipeline.audit().verifyChain();
    }

    @Test
    void deletingTheLastEntriesIsDetectedOnOpen() {
        for (int i = 0; i < 3; i++) spend(ALICE, 1 * CU);
        pipeline.audit().flush();
        long size = pipeline.audit().size();
        pipeline.close();
        try (var db = DBMaker.fileDB(dir.resolve("safety").resolve(SafetyStore.FILE_NAME).toFile())
                .fileChannelEnable().transactionEnable().make()) {
            var audit = db.treeMap("audit", Serializer.LONG, Serializer.BYTE_ARRAY).open();
            audit.remove(size);
            audit.remove(size - 1);
            db.commit();
        }
        var refused = assertThrows(IllegalStateException.class, () -> SpendPipeline.open(dir.resolve("safety"), ledger, config()));
        assertEquals("the audit log ends at entry " + (size - 2) + " but its last commit recorded entry " + size
                + ": entries were removed or replaced; the safety store will not open until it is restored", refused.getMessage());
        pipeline = SpendPipeline.open(dir.resolve("other"), ledger, config()); // for the fixture's close
    }

    @Test
    void aKillReasonBeyondTheBoundChangesNothing() {
        long audited = auditSize();
        for (String reason : new String[] {"r".repeat(70_000), "r".repeat(KillState.MAX_REASON + 1), "two\nlines", "bell\u0007",
                "\u202Egnp.exe", "«quoted»", " ", ""}) {
            var refused = assertThrows(PolicyException.class, () -> pipeline.kill(BOB, reason));
            assertEquals(Refusal.INVALID_ARGUMENT, refused.refusal());
            assertTrue(refused.getMessage().length() < 100, refused.getMessage());
        }
        assertFalse(pipeline.killState().active());
        assertEquals(audited, auditSize());
        assertTrue(spend(ALICE, 1 * CU).allowed());
        pipeline.kill(BOB, "é".repeat(KillState.MAX_REASON));
        restart();
        assertTrue(pipeline.killState().active(), "a reason at the bound is kept across a restart");
        assertEquals(Refusal.KILL_SWITCH, spend(ALICE, 1 * CU).refusal());
    }

    long auditSize() {
        pipeline.audit().flush();
        return pipeline.audit().size();
    }
}
