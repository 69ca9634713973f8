package dev.forge.node.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The kill switch's report: one line per agent from the node's and the journal's times, and a verdict that can say no. */
class KillDrillTest {
    static final KillDrill.Pulled PULLED = new KillDrill.Pulled(1, 10_000, 12_000, true);

    @Test
    void eachAgentsLatenciesAreTheRecordedTimesLessTheNodesKillAndRelease() {
        var lines = KillDrill.report(PULLED, List.of(new KillDrill.Measured("patron", 10_004, 10_180, "its buy was refused with kill_switch",
                0, 1, 5, 13_200), new KillDrill.Measured("frugal", 10_000, 10_040, "it saw the kill switch and decided wait", 0, 0, 6, 12_400)));
        assertEquals("kill switch: pulled in round 1 at 10000 (the node's time), released 2000 ms later", lines.get(0));
        assertTrue(lines.get(1).startsWith("  patron stopped 4 ms after the kill, noticed it 180 ms after, resumed 1200 ms after the release ("), lines.get(1));
        assertTrue(lines.get(2).startsWith("  frugal stopped 0 ms after the kill, noticed it 40 ms after, resumed 400 ms after the release ("), lines.get(2));
        assertTrue(lines.get(3).startsWith("kill switch summary: 2 agents, spending stopped max 4 ms after the kill (the ledger), noticed max 180 ms (the journals), "
                + "release to resume max 1200 ms, 0 spends during the kill"),
                lines.get(3));
        assertTrue(lines.get(3).endsWith(": every agent stopped within a second and resumed"), lines.get(3));
    }

    @Test
    void aLateStopASpendDuringTheKillOrNoResumeIsSaid() {
        for (var late : List.of(new KillDrill.Measured("patron", 11_001, 10_100, "", 0, 0, 5, 13_000),
                new KillDrill.Measured("patron", 10_100, 10_100, "", 1, 0, 5, 13_000), new KillDrill.Measured("patron", 10_100, 10_100, "", 0, 0, 5, 0),
                new KillDrill.Measured("patron", 10_100, 0, "", 0, 0, 5, 13_000))) {
            String summary = KillDrill.report(PULLED, List.of(late)).getLast();
            assertTrue(summary.endsWith(": NOT every agent stopped within a second and resumed"), late + " -> " + summary);
        }
    }
}
