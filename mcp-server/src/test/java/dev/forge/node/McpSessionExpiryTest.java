package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An MCP session nobody uses expires (here after 2 s instead of the default 30 minutes). */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
@TestProfile(McpSessionExpiryTest.ShortIdle.class)
class McpSessionExpiryTest {
    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("forge.mcp.session-idle", "2s");
        }
    }

    @Inject
    ForgeNode node;

    @TestHTTPResource("/mcp")
    URI mcp;

    @Test
    void anIdleSessionExpires() throws Exception {
        var client = new McpSessionTest();
        client.mcp = mcp;
        String token = node.createAgent("sleepy" + System.nanoTime() % 1_000_000);
        String session = client.open(token);
        assertTrue(McpProtocolTest.answer(client.send("POST", McpSessionTest.LIST, token, session)).has("result"));
        Thread.sleep(4_000);
        McpSessionTest.assertRefused(client.send("POST", McpSessionTest.LIST, token, session));
    }
}
