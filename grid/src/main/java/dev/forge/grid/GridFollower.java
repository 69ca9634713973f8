package dev.forge.grid;

import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.Message;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feeds the grid stream to a {@link GridApplier} on one thread, from the sequence after the last
 * one the applier stored. Ordered consumers are ephemeral and may stall after a server dies
 * (nats.java issue 997), so the follower also restarts its consumer from the stored sequence
 * whenever the stream has more than it applied and nothing came for a while.
 */
public final class GridFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GridFollower.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    /** Quiet polls before the follower asks the stream whether it fell behind. */
    private static final int QUIET_POLLS_BEFORE_CHECK = 4;

    private final Connection connection;
    private final GridApplier applier;
    private final Thread thread;
    private volatile boolean running = true;

    private GridFollower(Connection connection, GridApplier applier) {
        this.connection = connection;
        this.applier = applier;
        this.thread = Thread.ofPlatform().name("grid-follower").daemon().unstarted(this::run);
    }

    public static GridFollower start(Connection connection, GridApplier applier) {
        var follower = new GridFollower(connection, applier);
        follower.thread.start();
        return follower;
    }

    private void run() {
        while (running) {
            try {
                follow();
            } catch (InterruptedException stop) {
                return;
            } catch (Exception e) {
                LOG.log(Level.WARNING, "grid consumer failed (" + e + "), restarting from sequence "
                        + (applier.lastSequence() + 1));
                sleep();
            }
        }
    }

    private void follow() throws Exception {
        var config = new OrderedConsumerConfiguration().filterSubject(GridStreams.ALL_SUBJECTS)
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(applier.lastSequence() + 1);
        var stream = connection.getStreamContext(GridStreams.STREAM);
        try (IterableConsumer consumer = stream.createOrderedConsumer(config).iterate()) {
            int quiet = 0;
            while (running) {
                Message message = consumer.nextMessage(POLL);
                if (message != null) {
                    quiet = 0;
                    applier.apply(message.getSubject(), message.getData(), message.metaData().streamSequence());
                } else if (++quiet >= QUIET_POLLS_BEFORE_CHECK) {
                    quiet = 0;
                    if (behind(stream.getStreamInfo().getStreamState().getLastSequence())) return;
                }
            }
        }
    }

    private boolean behind(long streamLast) {
        return streamLast > applier.lastSequence();
    }

    private void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
    }
}
