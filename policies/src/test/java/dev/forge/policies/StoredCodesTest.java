package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The codes the safety store and the audit log keep for each enum constant. They are the file
 * format and the clients' contract: reordering or renaming a constant must leave every code here
 * unchanged, and a new constant must be added here with a new code.
 */
class StoredCodesTest {
    @Test
    void approvalStatusesKeepTheirCodes() {
        var pinned = new EnumMap<>(Map.of(Approval.Status.PENDING, 0, Approval.Status.APPROVED, 1,
                Approval.Status.DENIED, 2, Approval.Status.EXPIRED, 3, Approval.Status.USED, 4, Approval.Status.CANCELLED, 5));
        assertEquals(Arrays.asList(Approval.Status.values()), List.copyOf(pinned.keySet()), "every status is pinned");
        pinned.forEach((status, code) -> {
            assertEquals(code, status.code(), status.name());
            assertEquals(status, Approval.Status.fromCode(code));
        });
        assertThrows(IllegalStateException.class, () -> Approval.Status.fromCode(6));
    }

    @Test
    void refusalsKeepTheirCodes() {
        var pinned = new EnumMap<Refusal, String>(Refusal.class);
        pinned.put(Refusal.KILL_SWITCH, "kill_switch");
        pinned.put(Refusal.BUDGET_REQUEST, "budget_request");
        pinned.put(Refusal.BUDGET_HOUR, "budget_hour");
        pinned.put(Refusal.BUDGET_LIFETIME, "budget_lifetime");
        pinned.put(Refusal.VELOCITY, "velocity");
        pinned.put(Refusal.CIRCUIT_OPEN, "circuit_open");
        pinned.put(Refusal.APPROVAL_REQUIRED, "approval_required");
        pinned.put(Refusal.APPROVAL_DENIED, "approval_denied");
        pinned.put(Refusal.APPROVAL_MISMATCH, "approval_mismatch");
        pinned.put(Refusal.APPROVAL_USED, "approval_used");
        pinned.put(Refusal.POLICY_UNAVAILABLE, "policy_unavailable");
        pinned.put(Refusal.INSUFFICIENT_FUNDS, "insufficient_funds");
        pinned.put(Refusal.INVALID_ARGUMENT, "invalid_argument");
        pinned.put(Refusal.UNAUTHORIZED, "unauthorized");
        assertEquals(Arrays.asList(Refusal.values()), List.copyOf(pinned.keySet()), "every refusal is pinned");
        pinned.forEach((refusal, code) -> {
            assertEquals(code, refusal.code(), refusal.name());
            assertEquals(refusal, Refusal.fromCode(code));
        });
        assertThrows(IllegalArgumentException.class, () -> Refusal.fromCode("KILL_SWITCH"));
    }

    @Test
    void anApprovalWithAnUnknownStatusIsRefused() {
        var request = new SpendRequest("alice", "node", SpendAction.CHAT, "", 1_000_000, "k");
        byte[] bytes = new Approval("ap_1", request, 1, 2, 3, Approval.Status.USED, "", "").encode();
        // the status byte follows the three i64 fields, before two empty strings (2 bytes each)
        int statusAt = bytes.length - 1 - 2 - 2;
        assertEquals(Approval.Status.USED.code(), bytes[statusAt]);
        bytes[statusAt] = 42;
        var e = assertThrows(IllegalStateException.class, () -> Approval.decode(bytes));
        assertEquals("unknown approval status code 42", e.getMessage());
    }
}
