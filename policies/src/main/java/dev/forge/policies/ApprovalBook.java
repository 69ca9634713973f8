package dev.forge.policies;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Approvals waiting for a human, persisted so that a restart does not forget them. */
final class ApprovalBook {
    private static final String PREFIX = "approval:";
    private final SafetyStore store;
    private final Map<String, Approval> approvals = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    ApprovalBook(SafetyStore store) {
        this.store = store;
        store.withPrefix(PREFIX).forEach((key, value) -> {
            Approval approval = Approval.decode(value);
            approvals.put(approval.id(), approval);
        });
    }

    Approval create(SpendRequest request, long holdId, long now, long timeoutMillis) {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        String id = "ap_" + HexFormat.of().formatHex(bytes);
        var approval = new Approval(id, request, holdId, now, now + timeoutMillis, Approval.Status.PENDING, "", "");
        save(approval);
        return approval;
    }

    Approval get(String id) {
        Approval approval = approvals.get(id);
        PolicyException.require(approval != null, Refusal.INVALID_ARGUMENT, "no approval " + id);
        return approval;
    }

    /** Moves a pending approval to its decision, exactly once. */
    synchronized Approval decide(String id, Approval.Status status, String by, String reason) {
        Approval approval = get(id);
        PolicyException.require(approval.status() == Approval.Status.PENDING, Refusal.INVALID_ARGUMENT,
                "approval " + id + " was already " + approval.status().name().toLowerCase());
        Approval decided = approval.decide(status, by, reason);
        save(decided);
        return decided;
    }

    /** Expires a pending approval; false if someone decided it first. */
    synchronized boolean expire(String id) {
        if (get(id).status() != Approval.Status.PENDING) return false;
        decide(id, Approval.Status.EXPIRED, "pipeline", "nobody decided in time");
        return true;
    }

    /**
     * Marks an approved approval used, exactly once: of any number of concurrent resumes, one
     * gets it and the others a refusal.
     */
    synchronized Approval claim(String id) {
        Approval approval = get(id);
        switch (approval.status()) {
            case APPROVED -> { }
            case PENDING -> throw new PolicyException(Refusal.APPROVAL_REQUIRED, "approval " + id + " still waits for the operator");
            case USED -> throw new PolicyException(Refusal.APPROVAL_USED, "approval " + id + " was already used");
            default -> throw new PolicyException(Refusal.APPROVAL_DENIED,
                    "approval " + id + " was " + approval.status().name().toLowerCase());
        }
        Approval used = approval.decide(Approval.Status.USED, approval.decidedBy(), approval.reason());
        save(used);
        return used;
    }

    /** Closes an approval whose spend was cancelled, unless it was already decided against. */
    synchronized void cancelled(String id, String reason) {
        Approval approval = approvals.get(id);
        if (approval == null) return;
        if (approval.status() == Approval.Status.PENDING || approval.status() == Approval.Status.APPROVED) {
            save(approval.decide(Approval.Status.CANCELLED, "pipeline", reason));
        }
    }

    List<Approval> pending() {
        return withStatus(Approval.Status.PENDING);
    }

    /** Approved, and not yet resumed. */
    List<Approval> approvedUnused() {
        return withStatus(Approval.Status.APPROVED);
    }

    private List<Approval> withStatus(Approval.Status status) {
        return approvals.values().stream().filter(a -> a.status() == status)
                .sorted(java.util.Comparator.comparingLong(Approval::createdAt)).toList();
    }

    private void save(Approval approval) {
        store.put(PREFIX + approval.id(), approval.encode());
        approvals.put(approval.id(), approval);
    }
}
