package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offers in a real nats-server's key-value bucket: signed, verified by readers, gone after their node. */
class GridOffersIT {
    static final Duration TTL = Duration.ofSeconds(5);
    @TempDir Path dir;

    static List<String> ids(GridOffers.Listing listing) {
        return listing.live().stream().map(GridOffer::nodeId).toList();
    }

    @Test
    void readersSeeLiveSignedOffersOnlyAndADeadNodesOfferGoes() throws Exception {
        try (var cluster = new NatsCluster(dir, 1);
             Connection a = GridConnection.connect(cluster.urls(), "a");
             Connection b = GridConnection.connect(cluster.urls(), "b");
             Connection reader = GridConnection.connect(cluster.urls(), "reader")) {
            Grids.ensure(a, new GridStreams(1, Duration.ofSeconds(2), TTL));
            var nodeA = NodeIdentity.generate();
            var nodeB = NodeIdentity.generate();
            var clock = InstantSource.system();
            var publisherA = GridOfferPublisher.start(a, nodeA, TTL, clock, t -> Grids.offer(nodeA, t, TTL.toMillis(), 1_000));
            var publisherB = GridOfferPublisher.start(b, nodeB, TTL, clock, t -> Grids.offer(nodeB, t, TTL.toMillis(), 2_000));
            var offers = new GridOffers(reader, clock);

            var bucket = GridStreams.offers(reader);
            var honestC = NodeIdentity.generate();
            byte[] tampered = Grids.offer(honestC, clock.millis(), TTL.toMillis(), 5).encode();
            tampered[tampered.length - 81] ^= 1; // the capacity's low byte: well formed, no longer signed
            bucket.put(honestC.id(), tampered);
            bucket.put("node-junk", "not an offer".getBytes());
            var late = NodeIdentity.generate();
            bucket.put(late.id(), Grids.offer(late, clock.millis() - 20_000, 10_000, 5).encode());
            var elsewhere = NodeIdentity.generate();
            bucket.put(NodeIdentity.generate().id(), Grids.offer(elsewhere, clock.millis(), TTL.toMillis(), 5).encode());

            GridOffers.Listing listing = offers.read();
            assertEquals(List.of(nodeA.id(), nodeB.id()).stream().sorted().toList(), ids(listing));
            assertEquals(4, listing.dropped(), "forged, unsigned, expired and misfiled offers are dropped");
            GridOffer seenB = listing.live().stream().filter(o -> o.nodeId().equals(nodeB.id())).findFirst().orElseThrow();
            assertEquals(2_000, seenB.models().getFirst().pricePerKiloToken());
            assertArrayEquals(nodeB.publicKey(), seenB.nodeKey());

            publisherA.abandon();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ids(offers.read()).contains(nodeA.id()) && System.nanoTime() < deadline) Thread.sleep(250);
            List<String> afterDeath = ids(offers.read());
            assertFalse(afterDeath.contains(nodeA.id()), "a dead node's offer expires");
            assertTrue(afterDeath.contains(nodeB.id()), "a live node's offer is refreshed past the TTL");

            publisherB.close();
            assertFalse(ids(offers.read()).contains(nodeB.id()), "a clean stop deletes the offer");
        }
    }
}
