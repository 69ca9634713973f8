package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.ledger.HoldStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** An approval binds one agent, action, payee, amount and request digest, and is used once. */
class ApprovalBindingTest extends PipelineFixture {
    static final String DIGEST = SpendRequest.digestOf(new CanonicalWriter().string("chat").string("Once upon a time").i32(20));

    SpendRequest asked() {
        return new SpendRequest("alice", "node", SpendAction.CHAT, "stories260K", 40 * CU, "k" + keys.incrementAndGet(), DIGEST);
    }

    Spend approved() {
        Spend spend = pipeline.begin(ALICE, asked()).spend();
        pipeline.approve(OPERATOR, spend.approvalId(), "fine");
        return spend;
    }

    static SpendRequest with(SpendRequest r, String payee, SpendAction action, long amount, String digest) {
        return new SpendRequest(r.agent(), payee, action, r.model(), amount, "other", digest);
    }

    @Test
    void aResumeOfAnotherRequestIsRefusedAndChangesNothing() {
        Spend spend = approved();
        String id = spend.approvalId();
        SpendRequest r = asked();
        List<SpendRequest> others = List.of(
                with(r, "node", SpendAction.LEND, r.amount(), r.digest()),
                with(r, "escrow", SpendAction.CHAT, r.amount(), r.digest()),
                with(r, "node", SpendAction.CHAT, r.amount() + 1, r.digest()),
                with(r, "node", SpendAction.CHAT, r.amount(), SpendRequest.digestOf(new CanonicalWriter().string("chat").i32(400))),
                new SpendRequest("alice", "node", SpendAction.CHAT, "other-model", r.amount(), "m", r.digest()));
        long transfers = ledger.transferCount();
        for (SpendRequest other : others) {
            var e = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, id, other), other.toString());
            assertEquals(Refusal.APPROVAL_MISMATCH, e.refusal());
        }
        assertEquals(transfers, ledger.transferCount());
        assertEquals(Spend.Status.ACTIVE, spend.status());
        assertEquals(HoldStatus.PENDING, ledger.holdStatus(spend.holdId()).orElseThrow());
        assertSame(spend, pipeline.resume(ALICE, id, r), "the approved request itself still resumes");
    }

    @Test
    void anotherAgentCannotResumeIt() {
        Spend spend = approved();
        var e = assertThrows(PolicyException.class, () -> pipeline.resume(BOB, spend.approvalId(), asked()));
        assertEquals(Refusal.UNAUTHORIZED, e.refusal());
    }

    @Test
    void anApprovalResumesOnce() {
        Spend spend = approved();
        pipeline.resume(ALICE, spend.approvalId(), asked());
        var again = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, spend.approvalId(), asked()));
        assertEquals(Refusal.APPROVAL_USED, again.refusal());
        pipeline.settle(ALICE, spend, trade(spend, ALICE_KEY, 30 * CU));
        var afterSettle = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, spend.approvalId(), asked()));
        assertEquals(Refusal.APPROVAL_USED, afterSettle.refusal());
    }

    @Test
    void ofManyConcurrentResumesExactlyOneProceeds() throws Exception {
        Spend spend = approved();
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        var start = new CountDownLatch(1);
        var refusals = new ConcurrentLinkedQueue<Refusal>();
        List<Future<Spend>> resumes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            resumes.add(pool.submit(() -> {
                start.await();
                try {
                    return pipeline.resume(ALICE, spend.approvalId(), asked());
                } catch (PolicyException e) {
                    refusals.add(e.refusal());
                    return null;
                }
            }));
        }
        start.countDown();
        int proceeded = 0;
        for (Future<Spend> f : resumes) if (f.get() != null) proceeded++;
        pool.shutdown();
        assertEquals(1, proceeded);
        assertEquals(n - 1, refusals.size());
        assertTrue(refusals.stream().allMatch(r -> r == Refusal.APPROVAL_USED), refusals.toString());
    }

    @Test
    void aPendingApprovalCannotBeResumed() {
        Spend spend = pipeline.begin(ALICE, asked()).spend();
        var e = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, spend.approvalId(), asked()));
        assertEquals(Refusal.APPROVAL_REQUIRED, e.refusal());
        assertEquals(Spend.Status.AWAITING_APPROVAL, spend.status());
    }

    @Test
    void theKillSwitchResolvesAHeldSpendsApproval() {
        Spend held = pipeline.begin(ALICE, asked()).spend();
        Spend approvedButUnused = approved();
        pipeline.kill(BOB, "runaway");
        assertEquals(0, pipeline.pendingApprovals().size(), "a voided spend is not left in the queue");
        assertThrows(PolicyException.class, () -> pipeline.approve(OPERATOR, held.approvalId(), "late"));
        var e = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, approvedButUnused.approvalId(), asked()));
        assertEquals(Refusal.APPROVAL_DENIED, e.refusal());
        assertEquals(1_000 * CU, available("alice"));
    }

    @Test
    void anAgentsOwnClientCountsOnlyWhereTheOperatorSaysAPersonIsThere() {
        Spend spend = pipeline.begin(ALICE, asked()).spend();
        var e = assertThrows(PolicyException.class, () -> pipeline.decideAtClient(ALICE, spend.approvalId(), true));
        assertEquals(Refusal.UNAUTHORIZED, e.refusal());
        assertEquals(Spend.Status.AWAITING_APPROVAL, spend.status());
        assertEquals(1, pipeline.pendingApprovals().size());

        pipeline.setPolicy(OPERATOR, "alice", new BudgetPolicy(50 * CU, 200 * CU, 1_000 * CU, 25 * CU, true));
        var other = assertThrows(PolicyException.class, () -> pipeline.decideAtClient(BOB, spend.approvalId(), true));
        assertEquals(Refusal.UNAUTHORIZED, other.refusal(), "bob's client does not answer for alice");
        pipeline.decideAtClient(ALICE, spend.approvalId(), true);
        assertEquals(Spend.Status.ACTIVE, spend.status());
        pipeline.audit().flush();
        var last = pipeline.audit().recent(50).stream()
                .filter(a -> a.action().equals("approval")).toList().getLast();
        assertEquals("user of alice's client", last.actor());
        assertTrue(last.reason().contains("approved by the user of alice's client, allowed by operator setting"), last.reason());
    }

    @Test
    void theAttendedSettingIsOffByDefaultAndSurvivesARestart() {
        assertEquals(false, pipeline.policyFor(OPERATOR, "alice").attended());
        pipeline.setPolicy(OPERATOR, "alice", new BudgetPolicy(50 * CU, 200 * CU, 1_000 * CU, 25 * CU, true));
        restart();
        assertEquals(true, pipeline.policyFor(OPERATOR, "alice").attended());
        assertEquals(false, pipeline.policyFor(OPERATOR, "bob").attended());
    }

    @Test
    void anApprovedUnusedSpendSurvivesARestartAndStillResumesOnce() {
        Spend before = approved();
        restart();
        Spend after = pipeline.resume(ALICE, before.approvalId(), asked());
        assertEquals(before.holdId(), after.holdId());
        pipeline.settle(ALICE, after, trade(after, ALICE_KEY, 30 * CU));
        assertEquals(970 * CU, available("alice"));
        var again = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, before.approvalId(), asked()));
        assertEquals(Refusal.APPROVAL_USED, again.refusal());
    }

    @Test
    void anApprovalNotUsedBeforeItsHoldEndsGivesItsBudgetBack() {
        Spend spend = approved();
        assertEquals(40 * CU, pipeline.status(ALICE, "alice").spentLifetime());
        clock.advance(config().holdTimeoutMillis() + config().approvalTimeoutMillis() + 1);
        ledger.expireDueHolds();
        pipeline.expireApprovals();
        assertEquals(Spend.Status.CANCELLED, spend.status());
        assertEquals(0, pipeline.status(ALICE, "alice").spentLifetime());
        var late = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, spend.approvalId(), asked()));
        assertEquals(Refusal.APPROVAL_DENIED, late.refusal());
    }

    @Test
    void anApprovedSpendDoesNotResumeWhileTheAuditCannotRecord() throws Exception {
        Spend spend = approved();
        SpendRequest request = spend.request();
        pipeline.audit().flush();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("forge-audit-writer")) t.interrupt();
        }
        for (int i = 0; i < 200 && pipeline.audit().accepting(); i++) Thread.sleep(10);
        var e = assertThrows(PolicyException.class, () -> pipeline.resume(ALICE, spend.approvalId(), request));
        assertEquals(Refusal.POLICY_UNAVAILABLE, e.refusal());
        restart();
        assertEquals(Spend.Status.ACTIVE, pipeline.resume(ALICE, spend.approvalId(), request).status(),
                "the approval was not used up by the refusal");
    }
}
