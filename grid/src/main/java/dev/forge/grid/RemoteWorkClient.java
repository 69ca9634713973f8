package dev.forge.grid;

import dev.forge.economy.work.SignedAttestation;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The buyer's home node's side of remote work: sends a {@link Vouch} to the provider node's
 * subject with a fresh reply inbox and reads the numbered frames back, relaying pieces as they
 * come. Every wait is bounded: no first frame within {@link Timeouts#firstFrame} is
 * {@code no_provider} (nothing ran: fail over), silence longer than {@link Timeouts#idle} after it
 * is {@code provider_failed}, and so is the whole exchange taking longer than {@link Timeouts#total}.
 */
public final class RemoteWorkClient {
    /** Bounds on the waits; {@code idle} also bounds how long a cancellation waits to be seen. */
    public record Timeouts(Duration firstFrame, Duration idle, Duration total) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(10),
                Duration.ofMinutes(10));
    }

    /** Told what arrives, on the calling thread. */
    public interface Listener {
        default void accepted(String providerNodeId) {
        }

        default void piece(String text) {
        }
    }

    /** What the provider delivered; it is checked by the caller before anything is paid. */
    public record Delivery(String providerNodeId, SignedAttestation attestation, String output) {
    }

    /**
     * A failure with whether any piece had come: only a failure before the first piece may be
     * retried on another provider (the buyer saw nothing of this one's answer).
     */
    public static final class Failure extends RuntimeException {
        private final RemoteRefusal refusal;
        private final boolean streamed;

        Failure(RemoteRefusal refusal, String message, boolean streamed) {
            super(message);
            this.refusal = refusal;
            this.streamed = streamed;
        }

        public RemoteRefusal refusal() {
            return refusal;
        }

        public boolean streamed() {
            return streamed;
        }

        /**
         * Whether the buyer may try the next offer: no piece of this answer was seen, and the
         * failure is the provider's (absent, busy, without the model or price, failing), not the
         * vouch's own, which another provider would refuse alike.
         */
        public boolean retryable() {
            return !streamed && switch (refusal) {
                case NO_PROVIDER, BUSY, CREDIT_EXCEEDED, UNKNOWN_MODEL, PRICE_TOO_HIGH, PROVIDER_ERROR, PROVIDER_FAILED -> true;
                default -> false;
            };
        }
    }

    private static final Duration POLL = Duration.ofMillis(100);

    private final Connection connection;
    private final NodeIdentity home; // null: gives up without telling the provider

    public RemoteWorkClient(Connection connection) {
        this(connection, null);
    }

    /** A client that, giving up on an order after sending it, sends {@code home}'s signed {@link WorkCancel}. */
    public RemoteWorkClient(Connection connection, NodeIdentity home) {
        this.connection = connection;
        this.home = home;
    }

    /**
     * @param cancelled polled between frames: true stops waiting ({@code provider_failed}, streamed as it was)
     * @throws Failure with the provider's refusal code or the buyer's own
     */
    public Delivery request(Vouch vouch, Timeouts timeouts, Listener listener, BooleanSupplier cancelled)
            throws InterruptedException {
        String inbox = connection.createInbox();
        Subscription subscription = connection.subscribe(inbox);
        try {
            connection.publish(RemoteWork.subject(vouch.providerNodeId()), inbox, vouch.encode());
            return read(subscription, vouch, timeouts, listener, cancelled);
        } catch (Failure failure) {
            // The buyer gave up, not the provider: a provider that is still running it must stop.
            if (failure.refusal() == RemoteRefusal.NO_PROVIDER || failure.refusal() == RemoteRefusal.PROVIDER_FAILED) {
                cancel(vouch);
            }
            throw failure;
        } catch (InterruptedException e) {
            cancel(vouch);
            throw e;
        } finally {
            subscription.unsubscribe();
        }
    }

    private void cancel(Vouch vouch) {
        if (home == null) return;
        connection.publish(RemoteWork.cancelSubject(vouch.providerNodeId()),
                WorkCancel.sign(home, vouch.orderDigest(), System.currentTimeMillis()).encode());
    }

    private Delivery read(Subscription subscription, Vouch vouch, Timeouts timeouts, Listener listener,
                          BooleanSupplier cancelled) throws InterruptedException {
        long start = System.nanoTime();
        long lastFrame = start;
        int expected = 0;
        boolean streamed = false;
        byte[] digest = vouch.orderDigest();
        while (true) {
            long now = System.nanoTime();
            if (cancelled.getAsBoolean()) throw new Failure(RemoteRefusal.PROVIDER_FAILED, "cancelled", streamed);
            Duration silence = Duration.ofNanos(now - lastFrame);
            if (expected == 0 && silence.compareTo(timeouts.firstFrame()) > 0) {
                throw new Failure(RemoteRefusal.NO_PROVIDER, vouch.providerNodeId() + " did not answer", false);
            }
            if (expected > 0 && silence.compareTo(timeouts.idle()) > 0) {
                throw new Failure(RemoteRefusal.PROVIDER_FAILED, vouch.providerNodeId() + " went silent", streamed);
            }
            if (Duration.ofNanos(now - start).compareTo(timeouts.total()) > 0) {
                throw new Failure(RemoteRefusal.PROVIDER_FAILED, vouch.providerNodeId() + " took too long", streamed);
            }
            Message message = subscription.nextMessage(POLL);
            if (message == null) continue;
            if (message.isStatusMessage()) {
                if (expected == 0) throw new Failure(RemoteRefusal.NO_PROVIDER, "nobody serves " + vouch.providerNodeId(), false);
                continue;
            }
            WorkFrame frame = frame(message, digest, expected, streamed);
            lastFrame = System.nanoTime();
            expected++;
            switch (frame.kind()) {
                case ACCEPTED -> {
                    require(frame.sequence() == 0 && frame.detail().equals(vouch.providerNodeId()), streamed,
                            "accepted by " + frame.detail());
                    listener.accepted(frame.detail());
                }
                case PIECE -> {
                    require(frame.sequence() > 0, streamed, "a piece before accepted");
                    streamed = true;
                    listener.piece(frame.text());
                }
                case DELIVERED -> {
                    require(frame.sequence() > 0, streamed, "delivered before accepted");
                    return delivery(vouch, frame, streamed);
                }
                case REFUSED -> throw new Failure(frame.refusal(), frame.text(), streamed);
            }
        }
    }

    private static WorkFrame frame(Message message, byte[] digest, int expected, boolean streamed) {
        WorkFrame frame;
        try {
            frame = WorkFrame.decode(message.getData());
        } catch (RemoteWorkException malformed) {
            throw new Failure(RemoteRefusal.PROVIDER_FAILED, malformed.getMessage(), streamed);
        }
        // A refusal of a vouch the provider could not even read names no order.
        boolean unreadVouch = frame.kind() == WorkFrame.Kind.REFUSED && expected == 0 && frame.sequence() == 0;
        require(unreadVouch || Arrays.equals(frame.orderDigest(), digest), streamed, "a frame of another order");
        require(frame.sequence() == expected, streamed, "frame " + frame.sequence() + ", expected " + expected);
        return frame;
    }

    private static Delivery delivery(Vouch vouch, WorkFrame frame, boolean streamed) {
        try {
            return new Delivery(vouch.providerNodeId(), frame.signedAttestation(), frame.text());
        } catch (RuntimeException malformed) {
            throw new Failure(RemoteRefusal.DELIVERY_REFUSED, "the attestation does not decode", streamed);
        }
    }

    private static void require(boolean condition, boolean streamed, String message) {
        if (!condition) throw new Failure(RemoteRefusal.PROVIDER_FAILED, "out of protocol: " + message, streamed);
    }
}
