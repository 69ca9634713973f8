package dev.forge.node.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** --grid is parsed strictly: server URLs, the credentials file, the replicas and their defaults. */
class GridOptionsTest {
    @Test
    void threeServersDefaultToThreeReplicasAndOneToOne() {
        var three = GridOptions.parse("nats://127.0.0.1:4222, nats://127.0.0.1:4223,tls://grid.example:4224", Optional.empty(),
                Optional.empty());
        assertEquals(List.of("nats://127.0.0.1:4222", "nats://127.0.0.1:4223", "tls://grid.example:4224"), three.servers());
        assertEquals(3, three.replicas());
        assertEquals(Optional.empty(), three.credentials());
        var one = GridOptions.parse("nats://localhost:4222", Optional.of("/keys/grid.seed"), Optional.of("3"));
        assertEquals(3, one.replicas());
        assertEquals(Optional.of(Path.of("/keys/grid.seed")), one.credentials());
        assertEquals(1, GridOptions.parse("nats://localhost:4222", Optional.of(" "), Optional.empty()).replicas());
    }

    @Test
    void anythingButNatsUrlsAndOneToFiveReplicasIsRefused() {
        for (String bad : List.of("", "localhost:4222", "http://h:4222", "nats://h", "nats://h:0", "nats://h:65536",
                "nats://h:4222,", "nats://user:pw@h:4222", "nats://h:4222/path", "nats://h:99999999999")) {
            assertThrows(IllegalArgumentException.class, () -> GridOptions.parse(bad, Optional.empty(), Optional.empty()), bad);
        }
        String seventeen = String.join(",", java.util.Collections.nCopies(17, "nats://h:4222"));
        assertThrows(IllegalArgumentException.class, () -> GridOptions.parse(seventeen, Optional.empty(), Optional.empty()));
        for (String replicas : List.of("0", "6", "-1", "3 ", "three", "")) {
            assertThrows(IllegalArgumentException.class,
                    () -> GridOptions.parse("nats://h:4222", Optional.empty(), Optional.of(replicas)), replicas);
        }
    }

    @Test
    void aPeersCreditLineIsCuStrictlyParsedWithADefault() {
        var options = GridOptions.parse("nats://h:4222", Optional.empty(), Optional.empty());
        assertEquals(GridOptions.DEFAULT_PEER_CREDIT, options.peerCredit());
        assertEquals(2_500_000, options.withPeerCredit(Optional.of("2.5")).peerCredit());
        assertEquals(0, options.withPeerCredit(Optional.of("0")).peerCredit(), "0: no peer may owe anything");
        for (String bad : List.of("-1", "1e3", "0.0000001", "ten", "1,5", "9999999999999")) {
            assertThrows(IllegalArgumentException.class, () -> options.withPeerCredit(Optional.of(bad)), bad);
        }
    }
}
