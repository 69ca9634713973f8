package dev.forge.grid;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * The apply benchmark's passes on a small stream: a real nats-server, one ledger of 12 trades.
 * The run fails unless the applier ends at the root computed from the ledger with no refusal
 * and every pass reads every message; no time is asserted.
 */
class ApplierThroughputTest {
    @Test
    void theApplierPassReachesTheLedgersRoot() {
        assertDoesNotThrow(() -> ApplierThroughput.run(1, 12, 1));
    }
}
