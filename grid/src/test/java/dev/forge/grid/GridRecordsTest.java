package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid's signed bytes: one encoding each, and every tampered or mislabelled copy refused. */
class GridRecordsTest {
    @TempDir Path dir;

    @Test
    void anEntryRoundTripsToTheSameBytesAndVerifies() {
        try (var node = new LedgerNode(dir, "n", 2)) {
            node.trade(0, 1_234);
            node.work(1, 12);
            List<GridEntry> entries = node.entries();
            for (GridEntry entry : entries) {
                GridEntry again = GridEntry.decode(entry.encode());
                assertArrayEquals(entry.encode(), again.encode());
                again.verify();
                assertEquals(entry.index() + 1, again.record().id());
            }
            assertArrayEquals(entries.get(0).digest(), entries.get(1).previousDigest());
            assertArrayEquals(node.ledger.merkleRoot(), entries.getLast().head().root());
            assertArrayEquals(entries.getLast().encode(), node.entry(1, entries.get(0).digest()).encode(),
                    "an entry is a pure function of the ledger: a republish is a true duplicate");
        }
    }

    @Test
    void everyFlippedByteOfAnEntryIsRefused() {
        try (var node = new LedgerNode(dir, "n", 1)) {
            node.trade(0, 999);
            byte[] bytes = node.entries().getFirst().encode();
            for (int i = 0; i < bytes.length; i++) {
                byte[] flipped = bytes.clone();
                flipped[i] ^= 0x01;
                var refused = assertThrows(GridRefusedException.class, () -> GridEntry.decode(flipped).verify(), "byte " + i);
                assertTrue(Arrays.asList(GridRefusal.MALFORMED_ENTRY, GridRefusal.FORGED_SIGNATURE,
                        GridRefusal.BINDING_MISMATCH).contains(refused.refusal()), "byte " + i + ": " + refused.refusal());
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertEquals(GridRefusal.MALFORMED_ENTRY,
                    assertThrows(GridRefusedException.class, () -> GridEntry.decode(longer)).refusal());
            assertEquals(GridRefusal.MALFORMED_ENTRY, assertThrows(GridRefusedException.class,
                    () -> GridEntry.decode(new byte[GridEntry.MAX_BYTES + 1])).refusal());
        }
    }

    @Test
    void anOfferVerifiesOnlyWithinItsWindowAndUnderTheKeyItsIdNames() {
        var node = NodeIdentity.generate();
        long now = 1_800_000_000_000L;
        GridOffer offer = Grids.offer(node, now, 30_000, 1_500);
        GridOffer again = GridOffer.decode(offer.encode());
        assertEquals(offer, again);
        assertTrue(again.verify(now));
        assertTrue(again.verify(now - GridOffer.CLOCK_SKEW_MILLIS), "a little clock skew is allowed");
        assertFalse(again.verify(now - GridOffer.CLOCK_SKEW_MILLIS - 1), "issued too far in the future");
        assertFalse(again.verify(now + 30_000), "expired");

        byte[] tampered = offer.encode();
        tampered[tampered.length - 81] ^= 1; // the capacity's low byte: still well formed, no longer signed
        assertFalse(GridOffer.decode(tampered).verify(now));
        var impostor = NodeIdentity.generate();
        var claimed = new GridOffer(node.id(), offer.endpoint(), impostor.publicKey(), offer.accounts(), offer.models(),
                offer.capacity(), offer.issuedAt(), offer.expiresAt(), impostor.sign(offer.signedBytes()));
        assertFalse(claimed.verify(now), "signed by a key that is not the one the id names");
        assertThrows(IllegalArgumentException.class, () -> GridOffer.decode("junk".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> Grids.offer(node, now, GridOffer.MAX_LIFETIME_MILLIS + 1, 1));
    }

    @Test
    void theGridRootIgnoresTheOrderOfHeadsAndChangesWithAnyOfThem() {
        var a = new GridRoot.Head(3, new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        var b = new GridRoot.Head(5, other);
        var ab = new java.util.LinkedHashMap<String, GridRoot.Head>();
        ab.put("node-a", a);
        ab.put("node-b", b);
        var ba = new java.util.LinkedHashMap<String, GridRoot.Head>();
        ba.put("node-b", b);
        ba.put("node-a", a);
        assertArrayEquals(GridRoot.of(ab), GridRoot.of(ba));
        assertFalse(Arrays.equals(GridRoot.of(ab), GridRoot.of(java.util.Map.of("node-a", a, "node-b",
                new GridRoot.Head(6, other)))));
        assertArrayEquals(dev.forge.economy.merkle.MerkleHash.empty(), GridRoot.of(java.util.Map.of()));
    }
}
