package dev.forge.economy.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerificationRateTest {
    @Test
    void aNewProviderStartsAtThePriorAndEvidenceMovesIt() {
        assertEquals(500_000, VerificationRate.none().ppm());
        assertEquals("no chains checked yet, 0 completed", VerificationRate.none().describe());
        VerificationRate rate = VerificationRate.none();
        for (int i = 0; i < 500; i++) rate = rate.withChecked(i != 0 && i != 1 && i != 2 && i != 3, 1_000_000).withCompleted();
        assertEquals("99.2% of 500 chains verifiable, 500 completed", rate.describe());
        assertTrue(rate.ppm() > 980_000 && rate.ppm() < 992_000, String.valueOf(rate.ppm()));
    }

    @Test
    void valueWeighsMoreThanCount() {
        VerificationRate manySmallGood = VerificationRate.none();
        for (int i = 0; i < 99; i++) manySmallGood = manySmallGood.withChecked(true, 1_000);
        VerificationRate withOneBigBad = manySmallGood.withChecked(false, 50_000_000);
        assertTrue(withOneBigBad.ppm() < 300_000, "one large forged chain outweighs many small honest ones: " + withOneBigBad.ppm());
    }
}
