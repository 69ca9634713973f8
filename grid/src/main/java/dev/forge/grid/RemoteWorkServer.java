package dev.forge.grid;

import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.SignedAttestation;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.InstantSource;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The provider node's side of remote work: it subscribes to its own subject (so it needs no
 * open port, only its connection out to NATS), checks each vouch, and answers on the vouch's
 * reply inbox with numbered frames: {@code accepted}, the pieces its {@link Provider} streams,
 * then {@code delivered} or {@code refused}. At most {@code capacity} requests run or wait at
 * once; one more is refused {@code busy} at once, so the buyer's node fails over.
 */
public final class RemoteWorkServer implements AutoCloseable {
    /** Runs one vouched order: checks what needs the node's state, streams, and delivers. */
    public interface Provider {
        /** @throws RemoteWorkException to refuse with its code; any other exception is {@code provider_error} */
        void serve(Vouch vouch, Replies replies);
    }

    /** Where a {@link Provider} sends its answer; the server numbers and frames it. */
    public interface Replies {
        void piece(String text);

        /** Whether the home node cancelled the order (a signed {@link WorkCancel}): stop, settle nothing. */
        boolean cancelled();

        void delivered(SignedAttestation attestation, String output);
    }

    private static final byte[] NO_ORDER = new byte[Sha256.SIZE];
    /** Cancellations kept for orders not (yet) running here: one may overtake its vouch. */
    private static final int REMEMBERED_CANCELS = 4096;

    private final Connection connection;
    private final String nodeId;
    private final Provider provider;
    private final Semaphore capacity;
    private final InstantSource clock;
    private Dispatcher dispatcher;
    /** Running orders by hex order digest, and cancellations that came first; guarded by {@code running}. */
    private final Map<String, Running> running = new HashMap<>();
    private final Set<String> cancelledEarly = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_CANCELS;
        }
    });

    /** An order running here: the home node that vouched for it, and whether that node cancelled it. */
    private record Running(String homeNodeId, AtomicBoolean cancelled) {
    }

    public RemoteWorkServer(Connection connection, String nodeId, Provider provider, int capacity, InstantSource clock) {
        if (capacity < 1 || capacity > GridOffer.MAX_CAPACITY) throw new IllegalArgumentException("capacity is 1 to 4096");
        this.connection = connection;
        this.nodeId = nodeId;
        this.provider = provider;
        this.capacity = new Semaphore(capacity);
        this.clock = clock;
    }

    public synchronized void start() {
        if (dispatcher != null) return;
        dispatcher = connection.createDispatcher(this::handle);
        dispatcher.subscribe(RemoteWork.subject(nodeId));
        dispatcher.subscribe(RemoteWork.cancelSubject(nodeId), this::cancel);
    }

    /** On the dispatcher's thread: only the checks that need no waiting; the work runs on its own thread. */
    private void handle(Message message) {
        String inbox = message.getReplyTo();
        if (inbox == null || inbox.isEmpty()) return; // nowhere to answer: nothing runs
        Vouch vouch;
        try {
            vouch = Vouch.decode(message.getData());
            vouch.verify(nodeId, clock.millis());
        } catch (RemoteWorkException refused) {
            send(inbox, WorkFrame.refused(NO_ORDER, 0, refused.refusal(), refused.getMessage()));
            return;
        }
        if (!capacity.tryAcquire()) {
            send(inbox, WorkFrame.refused(vouch.orderDigest(), 0, RemoteRefusal.BUSY, nodeId + " is at its capacity"));
            return;
        }
        Thread.ofVirtual().name("remote-work").start(() -> {
            try {
                run(vouch, inbox);
            } finally {
                capacity.release();
            }
        });
    }

    /** A cancellation counts only when signed by the node that vouched for the order. */
    private void cancel(Message message) {
        WorkCancel cancel;
        try {
            cancel = WorkCancel.decode(message.getData());
        } catch (RemoteWorkException malformed) {
            return;
        }
        if (!cancel.verifies()) return;
        String key = HexFormat.of().formatHex(cancel.orderDigest());
        synchronized (running) {
            Running run = running.get(key);
            if (run == null) cancelledEarly.add(cancel.homeNodeId() + "/" + key);
            else if (run.homeNodeId().equals(cancel.homeNodeId())) run.cancelled().set(true);
        }
    }

    private void run(Vouch vouch, String inbox) {
        byte[] digest = vouch.orderDigest();
        String key = HexFormat.of().formatHex(digest);
        var entry = new Running(vouch.homeNodeId(), new AtomicBoolean());
        synchronized (running) {
            // The same order twice is a replay the provider refuses; the first keeps its entry.
            running.putIfAbsent(key, entry);
            if (cancelledEarly.remove(vouch.homeNodeId() + "/" + key)) entry.cancelled().set(true);
        }
        try {
            run(vouch, inbox, digest, entry.cancelled());
        } finally {
            synchronized (running) {
                running.remove(key, entry);
            }
        }
    }

    private void run(Vouch vouch, String inbox, byte[] digest, AtomicBoolean cancelled) {
        var sequence = new AtomicInteger();
        var replies = new Replies() {
            @Override
            public void piece(String text) {
                send(inbox, WorkFrame.piece(digest, sequence.getAndIncrement(), text));
            }

            @Override
            public boolean cancelled() {
                return cancelled.get();
            }

            @Override
            public void delivered(SignedAttestation attestation, String output) {
                send(inbox, WorkFrame.delivered(digest, sequence.getAndIncrement(), attestation, output));
            }
        };
        send(inbox, WorkFrame.accepted(digest, sequence.getAndIncrement(), nodeId));
        try {
            provider.serve(vouch, replies);
        } catch (RemoteWorkException refused) {
            send(inbox, WorkFrame.refused(digest, sequence.getAndIncrement(), refused.refusal(), refused.getMessage()));
        } catch (RuntimeException failed) {
            System.err.println("remote work for " + vouch.homeNodeId() + " failed: " + failed);
            send(inbox, WorkFrame.refused(digest, sequence.getAndIncrement(), RemoteRefusal.PROVIDER_ERROR,
                    "the provider's node could not run it"));
        }
    }

    private void send(String inbox, WorkFrame frame) {
        connection.publish(inbox, frame.encode());
    }

    @Override
    public synchronized void close() {
        if (dispatcher != null) connection.closeDispatcher(dispatcher);
        dispatcher = null;
    }
}
