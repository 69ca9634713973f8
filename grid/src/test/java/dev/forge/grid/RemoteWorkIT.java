package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote work over a real {@code nats-server}: the buyer's node and the provider's node each on
 * their own connection, the provider with no listening port of its own. The answer streams in
 * order and delivers an attestation that verifies with the provider's key; a tampered vouch, a
 * node at its capacity, a node nobody serves and a provider that vanishes mid-stream each end in
 * their code, every wait bounded.
 */
class RemoteWorkIT {
    private static final RemoteWorkClient.Timeouts TIMEOUTS = new RemoteWorkClient.Timeouts(Duration.ofSeconds(3),
            Duration.ofSeconds(3), Duration.ofSeconds(60));
    private static final List<String> PIECES = List.of("Once", " upon", " a", " time");

    @TempDir
    Path dir;

    private final NodeIdentity home = NodeIdentity.generate();
    private final NodeIdentity provider = NodeIdentity.generate();

    @Test
    void theAnswerStreamsAcrossNodesAndEveryFailureHasItsCode() throws Exception {
        try (var cluster = new NatsCluster(dir, 1);
             Connection buyerSide = GridConnection.connect(cluster.urls(), "home");
             Connection providerSide = GridConnection.connect(cluster.urls(), "provider")) {
            var release = new CountDownLatch(1);
            var entered = new CountDownLatch(1);
            var server = new RemoteWorkServer(providerSide, provider.id(), (vouch, replies) -> {
                if (new String(vouch.input()).equals("wait")) {
                    entered.countDown();
                    await(release);
                }
                for (String piece : PIECES) replies.piece(piece);
                replies.delivered(Vouches.attest(provider, vouch, String.join("", PIECES), System.currentTimeMillis()),
                        String.join("", PIECES));
            }, 1, InstantSource.system());
            server.start();
            providerSide.flush(Duration.ofSeconds(5));
            var client = new RemoteWorkClient(buyerSide);

            streamsAndDelivers(client);
            aTamperedVouchIsRefusedBeforeAnythingRuns(client);
            aNodeAtItsCapacityRefusesBusy(client, entered, release);
            aNodeNobodyServesIsNoProvider(client);

            // The provider's node dies after its first piece: the buyer's wait ends, bounded, as provider_failed.
            var dying = new RemoteWorkServer(providerSide, provider.id(), (vouch, replies) -> {
                replies.piece("Once");
                try {
                    providerSide.flush(Duration.ofSeconds(5)); // the piece must leave before the node dies
                    providerSide.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("the piece was not sent", e);
                }
            }, 4, InstantSource.system());
            server.close();
            dying.start();
            providerSide.flush(Duration.ofSeconds(5));
            var pieces = new ArrayList<String>();
            long started = System.nanoTime();
            var failure = assertThrows(RemoteWorkClient.Failure.class, () -> client.request(
                    Vouches.vouch(home, provider.id(), "alice", "hello", System.currentTimeMillis()), TIMEOUTS,
                    listener(pieces), () -> false));
            assertEquals(RemoteRefusal.PROVIDER_FAILED, failure.refusal());
            assertTrue(failure.streamed(), "a piece had come: no fail-over");
            assertFalse(failure.retryable());
            assertEquals(List.of("Once"), pieces);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0,
                    "the wait is bounded by the idle timeout");
        }
    }

    /**
     * The buyer giving up mid-stream sends its home node's signed cancellation: the provider sees
     * it between pieces and stops. One signed by any other key changes nothing, and one that
     * overtakes its vouch still stops the order when it starts.
     */
    @Test
    void theHomeNodeAloneCancelsWhatItBought() throws Exception {
        try (var cluster = new NatsCluster(dir, 1);
             Connection buyerSide = GridConnection.connect(cluster.urls(), "home");
             Connection providerSide = GridConnection.connect(cluster.urls(), "provider");
             Connection strangerSide = GridConnection.connect(cluster.urls(), "stranger")) {
            var started = new java.util.concurrent.LinkedBlockingQueue<Vouch>();
            var stopped = new java.util.concurrent.LinkedBlockingQueue<String>();
            var server = new RemoteWorkServer(providerSide, provider.id(), (vouch, replies) -> {
                started.add(vouch);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!replies.cancelled() && System.nanoTime() < deadline) {
                    replies.piece(".");
                    sleep(50);
                }
                stopped.add(replies.cancelled() ? "cancelled" : "ran out");
            }, 4, InstantSource.system());
            server.start();
            providerSide.flush(Duration.ofSeconds(5));
            var client = new RemoteWorkClient(buyerSide, home);

            Vouch vouch = Vouches.vouch(home, provider.id(), "alice", "cancel me", System.currentTimeMillis());
            var pieces = new java.util.concurrent.atomic.AtomicInteger();
            var giveUp = new java.util.concurrent.atomic.AtomicBoolean();
            var buyer = Thread.ofVirtual().start(() -> {
                try {
                    client.request(vouch, TIMEOUTS, new RemoteWorkClient.Listener() {
                        @Override
                        public void piece(String text) {
                            pieces.incrementAndGet();
                        }
                    }, giveUp::get);
                } catch (RemoteWorkClient.Failure expected) {
                    stopped.add("buyer: " + expected.refusal().code());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(started.poll(30, TimeUnit.SECONDS) != null, "the order runs");
            NodeIdentity stranger = NodeIdentity.generate();
            strangerSide.publish(RemoteWork.cancelSubject(provider.id()),
                    WorkCancel.sign(stranger, vouch.orderDigest(), System.currentTimeMillis()).encode());
            strangerSide.flush(Duration.ofSeconds(5));
            long seen = pieces.get();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (pieces.get() < seen + 5 && System.nanoTime() < until) sleep(20);
            assertTrue(pieces.get() >= seen + 5, "still streaming after the stranger's word");
            assertTrue(stopped.isEmpty(), "a stranger cannot stop it: " + stopped);
            giveUp.set(true);
            buyer.join(Duration.ofSeconds(30));
            assertEquals("buyer: provider_failed", stopped.poll(30, TimeUnit.SECONDS));
            assertEquals("cancelled", stopped.poll(30, TimeUnit.SECONDS), "the home node's cancellation stops it");

            Vouch early = Vouches.vouch(home, provider.id(), "alice", "cancelled first", System.currentTimeMillis());
            buyerSide.publish(RemoteWork.cancelSubject(provider.id()),
                    WorkCancel.sign(home, early.orderDigest(), System.currentTimeMillis()).encode());
            buyerSide.flush(Duration.ofSeconds(5));
            sleep(200);
            Thread.ofVirtual().start(() -> {
                try {
                    client.request(early, TIMEOUTS, new RemoteWorkClient.Listener() {}, () -> false);
                } catch (RuntimeException | InterruptedException ignored) {
                    // the provider stops at once and sends nothing more: the buyer's own wait ends it
                }
            });
            assertTrue(started.poll(30, TimeUnit.SECONDS) != null);
            assertEquals("cancelled", stopped.poll(30, TimeUnit.SECONDS), "a cancellation that came first still counts");
            server.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void streamsAndDelivers(RemoteWorkClient client) throws InterruptedException {
        var pieces = new ArrayList<String>();
        var accepted = new ArrayList<String>();
        Vouch vouch = Vouches.vouch(home, provider.id(), "alice", "Once upon a time", System.currentTimeMillis());
        var delivery = client.request(vouch, TIMEOUTS, new RemoteWorkClient.Listener() {
            @Override
            public void accepted(String node) {
                accepted.add(node);
            }

            @Override
            public void piece(String text) {
                pieces.add(text);
            }
        }, () -> false);
        assertEquals(List.of(provider.id()), accepted);
        assertEquals(PIECES, pieces);
        assertEquals(String.join("", PIECES), delivery.output());
        assertArrayEquals(vouch.orderDigest(), delivery.attestation().attestation().orderDigest());
        assertTrue(delivery.attestation().verifies(Ed25519.PublicKey.decode(provider.publicKey())));
    }

    private void aTamperedVouchIsRefusedBeforeAnythingRuns(RemoteWorkClient client) {
        Vouch vouch = Vouches.vouch(home, provider.id(), "alice", "Once", System.currentTimeMillis());
        byte[] signature = vouch.signature();
        signature[0] ^= 1;
        var tampered = new Vouch(vouch.homeNodeId(), vouch.homeNodeKey(), vouch.providerNodeId(), vouch.buyer(),
                vouch.maxCost(), vouch.issuedAt(), vouch.expiresAt(), vouch.order(), vouch.input(), signature);
        var pieces = new ArrayList<String>();
        var failure = assertThrows(RemoteWorkClient.Failure.class,
                () -> client.request(tampered, TIMEOUTS, listener(pieces), () -> false));
        assertEquals(RemoteRefusal.FORGED_SIGNATURE, failure.refusal());
        assertFalse(failure.streamed());
        assertFalse(failure.retryable(), "another provider would refuse the same vouch");
        assertTrue(pieces.isEmpty());
    }

    private void aNodeAtItsCapacityRefusesBusy(RemoteWorkClient client, CountDownLatch entered, CountDownLatch release)
            throws Exception {
        var first = Thread.ofVirtual().start(() -> {
            try {
                client.request(Vouches.vouch(home, provider.id(), "alice", "wait", System.currentTimeMillis()),
                        new RemoteWorkClient.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(90)),
                        new RemoteWorkClient.Listener() {}, () -> false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // The first holds the only slot until released; the second is turned away at once.
        assertTrue(entered.await(30, TimeUnit.SECONDS), "the first request runs");
        var busy = assertThrows(RemoteWorkClient.Failure.class, () -> client.request(
                Vouches.vouch(home, provider.id(), "bob", "second", System.currentTimeMillis()), TIMEOUTS,
                new RemoteWorkClient.Listener() {}, () -> false));
        release.countDown();
        first.join(Duration.ofSeconds(30));
        assertEquals(RemoteRefusal.BUSY, busy.refusal());
        assertFalse(busy.streamed());
        assertTrue(busy.retryable());
    }

    private void aNodeNobodyServesIsNoProvider(RemoteWorkClient client) {
        String nobody = NodeIdentity.generate().id();
        var failure = assertThrows(RemoteWorkClient.Failure.class, () -> client.request(
                Vouches.vouch(home, nobody, "alice", "hello", System.currentTimeMillis()), TIMEOUTS,
                new RemoteWorkClient.Listener() {}, () -> false));
        assertEquals(RemoteRefusal.NO_PROVIDER, failure.refusal());
        assertFalse(failure.streamed());
        assertTrue(failure.retryable());
    }

    private static RemoteWorkClient.Listener listener(List<String> pieces) {
        return new RemoteWorkClient.Listener() {
            @Override
            public void piece(String text) {
                pieces.add(text);
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
