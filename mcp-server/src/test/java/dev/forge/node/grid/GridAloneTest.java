package dev.forge.node.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.node.ForgeNode;
import dev.forge.node.Identities;
import dev.forge.node.NodeTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node started without --grid: the statement call says so in a stable code, the page's Grid section says "alone". */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class GridAloneTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PEER = "node-" + "0123456789abcdef".repeat(2) + "01234567";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI root;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> get(String token, String path) throws Exception {
        var request = HttpRequest.newBuilder(root.resolve(path));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode refused(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.get("error").asText(), response.body());
        assertTrue(body.get("message").asText().length() > 10, response.body());
        assertFalse(response.body().contains("Exception"), response.body());
        return body;
    }

    @Test
    void theStatementOfANodeOnNoGridIsGridOffForAnyValidTokenAndItsQueryIsStrict() throws Exception {
        String agent = node.createAgent("grid-alone-agent");
        String operator = Identities.operatorToken(dataDir());
        assertEquals(PEER.length(), 45);
        for (String token : List.of(agent, operator)) {
            refused(get(token, "/v1/forge/grid/statement?peer=" + PEER), 404, "grid_off");
        }
        assertEquals(401, get(null, "/v1/forge/grid/statement?peer=" + PEER).statusCode());
        assertEquals(401, get("forge_not_a_token", "/v1/forge/grid/statement?peer=" + PEER).statusCode());
        for (String query : List.of("", "?peer=", "?peer=node-XYZ", "?peer=" + PEER.toUpperCase(), "?peer=" + PEER + "0",
                "?peer=" + PEER + "&peer=" + PEER, "?peer=" + PEER + "&account=treasury", "?peer=" + "n".repeat(1_000),
                "?peer=" + URLEncoder.encode(PEER + "\u0000", StandardCharsets.UTF_8), "?peer=peer:" + PEER)) {
            var response = get(agent, "/v1/forge/grid/statement" + query);
            assertEquals(400, response.statusCode(), query + ": " + response.body());
            refused(response, 400, "invalid_argument");
        }
    }

    @Test
    void theNetworkAnswerHasNoGridAndThePageShowsTheNodeAlone() throws Exception {
        String operator = Identities.operatorToken(dataDir());
        JsonNode network = JSON.readTree(get(operator, "/v1/forge/network").body());
        assertTrue(network.path("grid").isMissingNode() || network.get("grid").isNull(), network.toString());
        JsonNode providers = JSON.readTree(get(operator, "/v1/forge/providers").body());
        assertEquals(0, providers.get("remote").size());

        String page = get(null, "/").body();
        for (String id : List.of("id=\"grid\"", "id=\"grid-state\"", "id=\"grid-root\"", "id=\"grid-rows\"")) {
            assertTrue(page.contains(id), id);
        }
        String script = get(null, "/app.js").body();
        assertTrue(script.contains("api(\"/v1/forge/providers\")") && script.contains("grid(network.grid, providers.remote)"),
                "the page reads the grid from network and providers");
        assertTrue(script.contains("Alone: this node is on no grid"), "what the page says when network has no grid");
        // Strings from other nodes are hostile: the page sets text only, never markup.
        assertFalse(script.contains("innerHTML") || script.contains("insertAdjacentHTML") || script.contains("outerHTML"));
    }

    java.nio.file.Path dataDir() {
        return java.nio.file.Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("forge.data", String.class));
    }
}
