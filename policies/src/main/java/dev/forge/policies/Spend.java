package dev.forge.policies;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A spend the pipeline let through (or held for approval): its ledger hold, where it stands,
 * and who to tell if it is cancelled (the inference it pays for, so it can stop).
 */
public final class Spend {
    public enum Status {
        AWAITING_APPROVAL,
        ACTIVE,
        SETTLING,
        SETTLED,
        CANCELLED
    }

    private final long id;
    private final SpendRequest request;
    private final AgentWindow.Charge charge;
    private final long holdId;
    private final String approvalId;
    private final AtomicReference<Status> status;
    private final CompletableFuture<Approval.Status> approval = new CompletableFuture<>();
    private final List<Runnable> cancelListeners = new CopyOnWriteArrayList<>();
    private volatile String cancelReason = "";

    Spend(long id, SpendRequest request, AgentWindow.Charge charge, long holdId, String approvalId) {
        this.id = id;
        this.request = request;
        this.charge = charge;
        this.holdId = holdId;
        this.approvalId = approvalId;
        this.status = new AtomicReference<>(approvalId.isEmpty() ? Status.ACTIVE : Status.AWAITING_APPROVAL);
        if (approvalId.isEmpty()) approval.complete(Approval.Status.APPROVED);
    }

    public long id() {
        return id;
    }

    public SpendRequest request() {
        return request;
    }

    public long holdId() {
        return holdId;
    }

    /** Empty unless the spend needed a human's approval. */
    public String approvalId() {
        return approvalId;
    }

    public Status status() {
        return status.get();
    }

    public String cancelReason() {
        return cancelReason;
    }

    /** Completes when a human decides (or the approval expires); at once for spends that need none. */
    public CompletableFuture<Approval.Status> awaitApproval() {
        return approval;
    }

    /** Runs {@code listener} when the spend is cancelled (kill switch, denial, expiry); at once if it already was. */
    public void onCancel(Runnable listener) {
        cancelListeners.add(listener);
        if (status() == Status.CANCELLED) listener.run();
    }

    public boolean isCancelled() {
        return status() == Status.CANCELLED;
    }

    AgentWindow.Charge charge() {
        return charge;
    }

    boolean move(Status from, Status to) {
        return status.compareAndSet(from, to);
    }

    /** Cancels unless already settled; true only for the call that cancelled it. */
    boolean cancel(String reason) {
        while (true) {
            Status now = status.get();
            if (now == Status.SETTLED || now == Status.CANCELLED || now == Status.SETTLING) return false;
            if (status.compareAndSet(now, Status.CANCELLED)) {
                cancelReason = reason;
                approval.complete(Approval.Status.DENIED);
                cancelListeners.forEach(Runnable::run);
                return true;
            }
        }
    }

    void approved() {
        if (move(Status.AWAITING_APPROVAL, Status.ACTIVE)) approval.complete(Approval.Status.APPROVED);
    }
}
