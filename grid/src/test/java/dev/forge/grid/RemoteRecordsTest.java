package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.forge.economy.work.SignedWorkOrder;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The vouch and the frames round-trip to the same bytes, and tampering is refused with its code. */
class RemoteRecordsTest {
    private final NodeIdentity home = NodeIdentity.generate();
    private final NodeIdentity provider = NodeIdentity.generate();
    private final long now = System.currentTimeMillis();

    @Test
    void aVouchRoundTripsAndVerifiesForItsProviderOnly() {
        Vouch vouch = Vouches.vouch(home, provider.id(), "alice", "Once upon a time", now);
        Vouch read = Vouch.decode(vouch.encode());
        assertArrayEquals(vouch.encode(), read.encode());
        read.verify(provider.id(), now);
        assertEquals(RemoteRefusal.BINDING_MISMATCH, refusal(() -> read.verify(NodeIdentity.generate().id(), now)));
        assertEquals(RemoteRefusal.EXPIRED, refusal(() -> read.verify(provider.id(), vouch.expiresAt())));
        assertEquals(RemoteRefusal.EXPIRED, refusal(() -> read.verify(provider.id(), now - Vouch.CLOCK_SKEW_MILLIS - 1_000)));
    }

    @Test
    void everyFlippedByteOfAVouchIsRefused() {
        byte[] bytes = Vouches.vouch(home, provider.id(), "alice", "Once upon a time", now).encode();
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            int at = i;
            assertThrows(RemoteWorkException.class, () -> Vouch.decode(tampered).verify(provider.id(), now),
                    () -> "byte " + at + " flipped was accepted");
        }
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals(RemoteRefusal.MALFORMED, refusal(() -> Vouch.decode(longer)));
        assertEquals(RemoteRefusal.MALFORMED, refusal(() -> Vouch.decode(new byte[Vouch.MAX_BYTES + 1])));
    }

    @Test
    void aVouchSignedByAnotherKeyOrForAnotherOrderIsRefused() {
        Vouch vouch = Vouches.vouch(home, provider.id(), "alice", "prompt", now);
        // Another node signs a vouch claiming to be home: its key does not name home's id.
        var impostor = new NodeIdentity(Vouches.anotherKey());
        Vouch claimed = new Vouch(home.id(), impostor.publicKey(), provider.id(), "alice", vouch.maxCost(), vouch.issuedAt(),
                vouch.expiresAt(), vouch.order(), vouch.input(), impostor.sign(vouch.signedBytes()));
        assertEquals(RemoteRefusal.FORGED_SIGNATURE, refusal(() -> claimed.verify(provider.id(), now)));
        // Home vouches for more than the order holds, or for another buyer, or another input.
        assertEquals(RemoteRefusal.BINDING_MISMATCH, refusal(() -> resign(vouch, v -> Vouch.sign(home, provider.id(),
                "alice", v.maxCost() + 1, v.issuedAt(), v.expiresAt(), v.order(), v.input())).verify(provider.id(), now)));
        assertEquals(RemoteRefusal.BINDING_MISMATCH, refusal(() -> resign(vouch, v -> Vouch.sign(home, provider.id(),
                "mallory", v.maxCost(), v.issuedAt(), v.expiresAt(), v.order(), v.input())).verify(provider.id(), now)));
        assertEquals(RemoteRefusal.BINDING_MISMATCH, refusal(() -> resign(vouch, v -> Vouch.sign(home, provider.id(),
                "alice", v.maxCost(), v.issuedAt(), v.expiresAt(), v.order(), "another".getBytes())).verify(provider.id(), now)));
        // The order inside signed by a key other than home's.
        SignedWorkOrder foreign = SignedWorkOrder.sign(vouch.order().order(), Vouches.anotherKey());
        assertEquals(RemoteRefusal.FORGED_SIGNATURE, refusal(() -> Vouch.sign(home, provider.id(), "alice", vouch.maxCost(),
                vouch.issuedAt(), vouch.expiresAt(), foreign, vouch.input()).verify(provider.id(), now)));
    }

    @Test
    void framesRoundTripAndOutOfShapeFramesAreRefused() {
        Vouch vouch = Vouches.vouch(home, provider.id(), "alice", "prompt", now);
        byte[] digest = vouch.orderDigest();
        var frames = java.util.List.of(WorkFrame.accepted(digest, 0, provider.id()), WorkFrame.piece(digest, 1, "Once"),
                WorkFrame.delivered(digest, 2, Vouches.attest(provider, vouch, "Once", now), "Once"),
                WorkFrame.refused(digest, 3, RemoteRefusal.BUSY, "é".repeat(400)));
        for (WorkFrame frame : frames) assertArrayEquals(frame.encode(), WorkFrame.decode(frame.encode()).encode());
        assertEquals(RemoteRefusal.BUSY, WorkFrame.decode(frames.get(3).encode()).refusal());
        assertEquals(WorkFrame.MAX_MESSAGE_BYTES, frames.get(3).text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertEquals(frames.get(2).signedAttestation(), WorkFrame.decode(frames.get(2).encode()).signedAttestation());
        for (WorkFrame frame : frames) {
            byte[] bytes = frame.encode();
            assertEquals(RemoteRefusal.MALFORMED, refusal(() -> WorkFrame.decode(java.util.Arrays.copyOf(bytes, bytes.length + 1))));
            assertEquals(RemoteRefusal.MALFORMED, refusal(() -> WorkFrame.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1))));
        }
        assertThrows(IllegalArgumentException.class, () -> WorkFrame.piece(digest, 1, "x".repeat(WorkFrame.MAX_PIECE_BYTES + 1)));
        assertThrows(IllegalArgumentException.class, () -> new WorkFrame(digest, 0, WorkFrame.Kind.REFUSED, "no_such_code",
                "", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> WorkFrame.accepted(digest, 0, "node-nothex"));
    }

    private static Vouch resign(Vouch vouch, Function<Vouch, Vouch> change) {
        return change.apply(vouch);
    }

    private static RemoteRefusal refusal(Runnable call) {
        return assertThrows(RemoteWorkException.class, call::run).refusal();
    }

    @Test
    void aCancellationRoundTripsAndVerifiesOnlyUnderTheKeyItsIdNames() {
        NodeIdentity home = NodeIdentity.generate();
        byte[] digest = dev.forge.economy.crypto.Sha256.hashText("an order");
        WorkCancel cancel = WorkCancel.sign(home, digest, 1_700_000_000_000L);
        assertArrayEquals(cancel.encode(), WorkCancel.decode(cancel.encode()).encode());
        assertTrue(WorkCancel.decode(cancel.encode()).verifies());
        byte[] bytes = cancel.encode();
        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 1;
            boolean refused;
            try {
                refused = !WorkCancel.decode(flipped).verifies();
            } catch (RemoteWorkException malformed) {
                refused = malformed.refusal() == RemoteRefusal.MALFORMED;
            }
            assertTrue(refused, "byte " + i + " flipped");
        }
        NodeIdentity other = NodeIdentity.generate();
        var underAnotherKey = new WorkCancel(home.id(), other.publicKey(), digest, 1_700_000_000_000L,
                other.sign(new WorkCancel(home.id(), other.publicKey(), digest, 1_700_000_000_000L, new byte[64]).signedBytes()));
        assertFalse(underAnotherKey.verifies(), "another key under the home node's id");
    }
}
