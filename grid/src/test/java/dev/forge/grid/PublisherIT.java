package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anyone allowed to publish on a node's subject can leave a message of theirs last there. The
 * node's publisher must not take that as its own log's end, nor stop publishing because of it:
 * it resumes after what its own applier applied, and every applier ends at the ledger's head.
 */
class PublisherIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aForeignMessageLastOnTheSubjectDoesNotStopTheNodePublishing() throws Exception {
        try (var cluster = new NatsCluster(dir, 1);
             var node = new LedgerNode(dir.resolve("ledger"), "n0", 2);
             Connection connection = GridConnection.connect(cluster.urls(), "node");
             Connection attacker = GridConnection.connect(cluster.urls(), "attacker");
             var applier = GridApplier.open(dir.resolve("applier"))) {
            Grids.ensure(connection, GridStreams.defaults(1));
            try (var follower = GridFollower.start(connection, applier)) {
                node.trade(0, 1_000);
                node.trade(1, 2_000);
                var publisher = new GridPublisher(connection, node.identity, node.ledger, () -> Optional.of(applier.tip(node.identity.id())));
                publisher.publishPending();
                awaitApplied(applier, node, 2);

                attacker.jetStream().publish(GridStreams.subject(node.identity.id()), "not an entry".getBytes(StandardCharsets.UTF_8));
                node.trade(0, 3_000);
                var blind = new GridPublisher(connection, node.identity, node.ledger);
                assertThrows(IllegalStateException.class, blind::publishPending,
                        "without its applied tip the publisher cannot tell where its log ends");

                assertEquals(1, publisher.publishPending().size(), "only the new leaf goes out");
                awaitApplied(applier, node, 3);
                assertArrayEquals(node.ledger.merkleRoot(3), applier.heads().get(node.identity.id()).root());
                assertEquals(1L, applier.refusals().get("malformed_entry"), "the foreign message is evidence");
            }
        }
    }

    private static void awaitApplied(GridApplier applier, LedgerNode node, long size) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (applier.tip(node.identity.id()).nextIndex() < size) {
            if (System.nanoTime() > deadline) throw new AssertionError("the applier did not reach " + size + " entries");
            Thread.sleep(100);
        }
    }
}
