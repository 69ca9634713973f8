package dev.forge.grid;

import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.market.ModelTier;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.List;

/** Setup shared by the grid's process tests. */
final class Grids {
    private Grids() {}

    /** Creates the stream and bucket, retrying while the fresh cluster elects its JetStream leader. */
    static void ensure(Connection connection, GridStreams streams) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                streams.ensure(connection);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(500);
            }
        }
    }

    static GridOffer offer(NodeIdentity node, long issuedAt, long lifetime, long price) {
        var model = new GridOffer.Model("stories260K", Sha256.hashText("stories260K folder"), ModelTier.TINY, price, 60_000);
        var account = new GridOffer.AccountKey("provider-" + node.id().substring(5, 13), node.publicKey());
        return GridOffer.sign(node, "https://" + node.id() + ".example:8443", List.of(account), List.of(model), 4, issuedAt,
                issuedAt + lifetime);
    }
}
