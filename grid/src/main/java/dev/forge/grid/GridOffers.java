package dev.forge.grid;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The live offers of the grid as this node sees them: every offer in the bucket that parses,
 * is stored under its own node id, was signed by the key that id names and has not expired.
 * Anything else is dropped and counted, never shown.
 */
public final class GridOffers {
    /** One reading: the verified offers by node id, and how many entries were dropped. */
    public record Listing(List<GridOffer> live, int dropped) {
        public Listing {
            live = List.copyOf(live);
        }
    }

    private final KeyValue bucket;
    private final InstantSource clock;

    public GridOffers(Connection connection, InstantSource clock) throws IOException {
        this.bucket = GridStreams.offers(connection);
        this.clock = clock;
    }

    public Listing read() throws IOException, JetStreamApiException, InterruptedException {
        long now = clock.millis();
        List<GridOffer> live = new ArrayList<>();
        int dropped = 0;
        for (String key : bucket.keys()) {
            KeyValueEntry entry = bucket.get(key);
            if (entry == null || entry.getValue() == null) continue;
            GridOffer offer = parse(entry.getValue());
            if (offer != null && offer.nodeId().equals(key) && offer.verify(now)) live.add(offer);
            else dropped++;
        }
        live.sort(Comparator.comparing(GridOffer::nodeId));
        return new Listing(live, dropped);
    }

    private static GridOffer parse(byte[] bytes) {
        try {
            return GridOffer.decode(bytes);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
