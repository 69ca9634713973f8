package dev.forge.grid;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/**
 * The grid's names on NATS and how they are created: one stream of every node's log, one
 * subject per node, and one key-value bucket of offers whose entries expire.
 *
 * @param replicas copies JetStream keeps of each message (3 in a 3-server cluster)
 * @param duplicateWindow how long the stream drops a repeated {@code Nats-Msg-Id}
 * @param offerTtl how long an offer lives unless its node puts it again
 */
public record GridStreams(int replicas, Duration duplicateWindow, Duration offerTtl) {
    public static final String STREAM = "FORGE_GRID";
    public static final String SUBJECT_PREFIX = "forge.grid.log.";
    public static final String ALL_SUBJECTS = SUBJECT_PREFIX + "*";
    public static final String OFFERS = "forge-grid-offers";
    /** JetStream's API error codes: the name is taken (another creator won the race), none found. */
    static final int STREAM_NAME_IN_USE = 10058;
    static final int STREAM_NOT_FOUND = 10059;
    static final int NO_MESSAGE_FOUND = 10037;

    public GridStreams {
        if (replicas < 1 || replicas > 5) throw new IllegalArgumentException("replicas must be 1 to 5");
        if (duplicateWindow.isNegative() || duplicateWindow.isZero()) throw new IllegalArgumentException("window must be positive");
        if (offerTtl.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("offer TTL must be 1 s or more");
    }

    public static GridStreams defaults(int replicas) {
        return new GridStreams(replicas, Duration.ofMinutes(2), Duration.ofSeconds(30));
    }

    public static String subject(String nodeId) {
        return SUBJECT_PREFIX + nodeId;
    }

    /** Creates the stream and the bucket when missing; an existing one is used as it is. */
    public void ensure(Connection connection) throws IOException, JetStreamApiException {
        JetStreamManagement management = connection.jetStreamManagement();
        try {
            management.getStreamInfo(STREAM);
        } catch (JetStreamApiException missing) {
            if (missing.getApiErrorCode() != STREAM_NOT_FOUND) throw missing;
            var config = StreamConfiguration.builder().name(STREAM).subjects(ALL_SUBJECTS).storageType(StorageType.File)
                    .replicas(replicas).duplicateWindow(duplicateWindow).build();
            try {
                management.addStream(config);
            } catch (JetStreamApiException raced) {
                if (raced.getApiErrorCode() != STREAM_NAME_IN_USE) throw raced;
            }
        }
        ensureOffers(connection);
    }

    private void ensureOffers(Connection connection) throws IOException, JetStreamApiException {
        var kvm = connection.keyValueManagement();
        if (kvm.getBucketNames().contains(OFFERS)) return;
        var config = KeyValueConfiguration.builder().name(OFFERS).maxHistoryPerKey(1).ttl(offerTtl)
                .storageType(StorageType.File).replicas(replicas).build();
        try {
            kvm.create(config);
        } catch (JetStreamApiException raced) {
            if (raced.getApiErrorCode() != STREAM_NAME_IN_USE) throw raced;
        }
    }

    public static KeyValue offers(Connection connection) throws IOException {
        return connection.keyValue(OFFERS);
    }
}
