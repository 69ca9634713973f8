package dev.forge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds a process may set with {@code forge.tier-bounds}, and the two tiers they give the trained and the generated model. */
class TierBoundsTest {
    /** What the agent tests and the demo pass: stories260K is tiny, TinyLlama.LARGE large. */
    static final String TWO_TIERS = "600000,800000,1000000";

    @TempDir
    Path dir;

    @Test
    void theBoundsAreReadStrictly() {
        assertEquals(new Tier.Bounds(600_000, 800_000, 1_000_000), Tier.Bounds.parse(TWO_TIERS));
        assertEquals(new Tier.Bounds(100_000_000L, 1_000_000_000L, 4_000_000_000L), Tier.Bounds.DEFAULT, "unset in this JVM");
        for (String bad : new String[] {"", "1,2", "1,2,3,4", "1,x,3", "-1,2,3", "3,2,1", "1, 2,1e9"}) {
            assertThrows(IllegalArgumentException.class, () -> Tier.Bounds.parse(bad), bad);
        }
    }

    @Test
    void theTrainedAndTheGeneratedModelFallInDifferentTiers() throws Exception {
        var bounds = Tier.Bounds.parse(TWO_TIERS);
        long stories = ModelFolder.inspect(TestModel.folder()).parameters();
        long large = ModelFolder.inspect(TinyLlama.write(TinyLlama.LARGE, dir.resolve("large"))).parameters();
        assertEquals(Tier.TINY, bounds.tierOf(stories), stories + " parameters");
        assertEquals(Tier.LARGE, bounds.tierOf(large), large + " parameters");
        assertEquals(Tier.TINY, Tier.Bounds.DEFAULT.tierOf(large), "by default both are toys");
    }
}
