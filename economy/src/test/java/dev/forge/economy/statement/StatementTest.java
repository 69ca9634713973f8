package dev.forge.economy.statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.Fixtures;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.ledger.TransferRequest;
import dev.forge.economy.market.MarketWorld;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementTest {
    static final long CU = Fixtures.CU;

    @TempDir
    Path dir;

    @Test
    void aStatementHasEveryEntryTotalsAndProofsAndIsSignedByTheNode() {
        try (var world = new MarketWorld(dir)) {
            world.agent("alice");
            world.agent("bob");
            world.provider("shop");
            world.trade("alice", "shop", "m", 100, 3 * CU); // before the period
            world.clock.advance(60_000);
            long from = world.clock.millis();
            world.trade("alice", "shop", "m", 100, 2 * CU);
            world.ledger.transfer(TransferRequest.single("gift", "bob", "alice", 5 * CU, TransferCode.UNSPECIFIED));
            var hold = world.ledger.transfer(TransferRequest.hold("h", "alice", "shop", CU, 60_000, TransferCode.TRADE));
            world.trade("alice", "shop", "m", 100, CU / 2);
            world.clock.advance(60_000);
            long to = world.clock.millis();

            Ed25519.KeyPair node = Fixtures.key(99);
            Statement s = new Statements(world.ledger, node).statement("alice", from, to);
            assertEquals(1_000 * CU - 3 * CU, s.opening(), "the free tier, less the trade before the period");
            assertEquals(5 * CU, s.credits());
            assertEquals(2 * CU + CU / 2, s.debits(), "the hold moved nothing");
            assertEquals(world.ledger.account("alice").orElseThrow().balance(), s.closing());
            assertEquals(4, s.entries().size());
            assertEquals(0, s.entries().stream().filter(e -> e.transferId() == hold.id()).findFirst().orElseThrow().change());
            assertEquals(2, s.trades().size(), "the trade before the period is not in it");
            assertTrue(s.verify(node.publicKey()), "signed by the node, every proof leads to the root");
            assertEquals(java.util.HexFormat.of().formatHex(world.ledger.merkleRoot()),
                    java.util.HexFormat.of().formatHex(s.merkleRoot()));

            var forged = new Statement(s.account(), s.from(), s.to(), s.opening(), s.closing() + 1, s.debits(), s.credits(),
                    s.entries(), s.trades(), s.treeSize(), s.merkleRoot(), s.nodeKey(), s.signature());
            assertFalse(forged.verify(node.publicKey()), "a changed total breaks the signature");
            assertFalse(s.verify(Fixtures.key(98).publicKey()), "another node did not sign it");
        }
    }
}
