package dev.forge.grid;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.logging.Logger;

/**
 * Keeps a node's offer in the grid's offer bucket: puts a freshly signed one every third of the
 * bucket's TTL, so it lives while the node does and the bucket drops it one TTL after the node
 * died; a node that stops cleanly deletes it at once. Each offer itself expires one TTL after
 * it was issued, so a reader refuses a stale one even if the bucket still held it.
 */
public final class GridOfferPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GridOfferPublisher.class.getName());

    private final KeyValue bucket;
    private final String nodeId;
    private final Duration ttl;
    private final InstantSource clock;
    private final LongFunction<GridOffer> offerAt;
    private final ScheduledExecutorService timer;

    /**
     * @param offerAt the node's offer issued at the given epoch ms, expiring one TTL later
     */
    private GridOfferPublisher(KeyValue bucket, String nodeId, Duration ttl, InstantSource clock,
                               LongFunction<GridOffer> offerAt) {
        this.bucket = bucket;
        this.nodeId = nodeId;
        this.ttl = ttl;
        this.clock = clock;
        this.offerAt = offerAt;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("grid-offer").daemon().factory());
    }

    private static final long NOT_READY_RETRY_MILLIS = 250;

    /** Puts the offer now and then every {@code ttl / 3}; {@code offerAt} answers null while there is nothing to offer yet. */
    public static GridOfferPublisher start(Connection connection, NodeIdentity node, Duration ttl, InstantSource clock,
                                           LongFunction<GridOffer> offerAt) throws IOException, JetStreamApiException {
        var publisher = new GridOfferPublisher(GridStreams.offers(connection), node.id(), ttl, clock, offerAt);
        publisher.refresh();
        long period = Math.max(1, ttl.toMillis() / 3);
        publisher.timer.scheduleAtFixedRate(publisher::refreshQuietly, period, period, TimeUnit.MILLISECONDS);
        return publisher;
    }

    public void refresh() throws IOException, JetStreamApiException {
        GridOffer offer = offerAt.apply(clock.millis());
        if (offer == null) { // nothing to offer yet (the node does not listen yet): ask again soon, not a TTL later
            timer.schedule(this::refreshQuietly, NOT_READY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (!offer.nodeId().equals(nodeId)) throw new IllegalStateException("an offer of another node");
        bucket.put(nodeId, offer.encode());
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (Exception e) {
            LOG.fine(() -> "offer refresh failed, next try in " + ttl.toMillis() / 3 + " ms: " + e.getMessage());
        }
    }

    /** Stops refreshing and deletes the offer: a clean stop leaves nothing to expire. */
    @Override
    public void close() throws IOException, JetStreamApiException, InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        bucket.delete(nodeId);
    }

    /** Stops refreshing and leaves the offer to expire, as a node that died would. */
    public void abandon() {
        timer.shutdownNow();
    }
}
