package dev.forge.node.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Authorization;
import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.market.ProviderFilter;
import dev.forge.economy.work.VerificationRate;
import dev.forge.grid.GridApplier;
import dev.forge.grid.GridEntry;
import dev.forge.grid.GridPublisher;
import dev.forge.grid.GridStreams;
import dev.forge.grid.NodeIdentity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rate rule on a real applier (MapDB) and real signatures: a forgery under a node's id and
 * a replay of its entry leave its rate alone, a gap its key signed lowers it, an equivocation
 * makes it unverifiable and any floor above 0 leaves it out.
 */
class GridRatesTest {
    private static final ProviderFilter FLOOR = new ProviderFilter(100_000, 0);

    @Test
    void onlyWhatTheNodesKeySignedCountsAgainstIt(@TempDir Path dir) {
        var node = NodeIdentity.generate();
        try (Ledger ledger = Ledger.open(dir.resolve("ledger")); GridApplier applier = GridApplier.open(dir.resolve("grid"))) {
            var publisher = new GridPublisher(null, node, ledger);
            trade(ledger, 1);
            trade(ledger, 2);
            trade(ledger, 3);
            var rates = new GridRates(id -> null, applier);
            String subject = GridStreams.subject(node.id());
            GridEntry first = publisher.entry(0, GridEntry.noPrevious());
            long sequence = 1;
            assertEquals(GridApplier.Outcome.APPLIED, applier.apply(subject, first.encode(), sequence++));
            GridRate prior = rates.of(node.id());
            assertEquals(500_000, prior.ppm());
            assertNull(prior.refusal(FLOOR));

            byte[] forged = first.encode();
            forged[forged.length - 1] ^= 1;
            applier.apply(subject, forged, sequence++);
            applier.apply(subject, first.encode(), sequence++); // a replay
            assertEquals(prior, rates.of(node.id()), "neither a forgery nor a replay is the node's doing");

            GridEntry gap = publisher.entry(2, publisher.entry(1, first.digest()).digest()); // index 1 never published
            assertEquals(GridApplier.Outcome.REFUSED, applier.apply(subject, gap.encode(), sequence++));
            GridRate afterGap = rates.of(node.id());
            assertEquals(1, afterGap.signedRefusals());
            assertEquals(454_545, afterGap.ppm(), "one failed chain of 1 CU beside the prior's 10");
            assertTrue(afterGap.describe().contains("1 of them grid entries it signed"), afterGap.describe());

            GridEntry other = GridEntry.sign(node, 0, GridEntry.noPrevious(), first.record(), Sha256.hashText("another"));
            assertEquals(GridApplier.Outcome.REFUSED, applier.apply(subject, other.encode(), sequence++));
            GridRate unverifiable = rates.of(node.id());
            assertEquals(0, unverifiable.ppm());
            assertTrue(unverifiable.describe().startsWith("unverifiable"), unverifiable.describe());
            assertNotNull(unverifiable.refusal(FLOOR));
            assertNull(unverifiable.refusal(ProviderFilter.NONE), "without a floor it is listed, at 0");
            assertEquals(500_000, rates.of(NodeIdentity.generate().id()).ppm(), "a node never seen stands at the prior");
            assertEquals(VerificationRate.none().ppm(), rates.of("node-unknown").rate().ppm());
        }
    }

    /** A trade between a fresh agent and the node's provider, both signing with real keys. */
    private static void trade(Ledger ledger, long n) {
        var provider = Ed25519.generate();
        var agent = Ed25519.generate();
        ledger.openAccount(AccountSpec.provider("provider-" + n, provider.publicKey()));
        ledger.openAccount(AccountSpec.agent("agent-" + n, agent.publicKey()));
        long now = System.currentTimeMillis();
        var authorization = new Authorization("agent-" + n, "provider-" + n, "stories260K", 2_000,
                Sha256.hashText("prompt " + n), n, now + 600_000);
        byte[] signature = SignedTrade.authorize(authorization, agent);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, signature), 12, 30, 1_000, 1_000,
                Sha256.hashText("output " + n), now);
        ledger.settle(SignedTrade.deliver(authorization, signature, delivery, provider), 0);
    }
}
