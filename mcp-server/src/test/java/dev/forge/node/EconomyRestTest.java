package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The economy under /v1/forge/: the MCP tools' answers and codes over REST. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class EconomyRestTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ForgeNode node;

    @TestHTTPResource("/v1/forge")
    URI forge;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> get(String token, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(forge + path));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String token, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(forge + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEconomyAnswersOverRestWithTheToolsCodes() throws Exception {
        String token = node.createAgent("rita");
        String operator = Identities.operatorToken(dataDir());
        assertEquals("1000.000000", JSON.readTree(get(token, "/balance").body()).get("balance_cu").asText());
        JsonNode pricing = JSON.readTree(get(token, "/pricing?model=stories260K&prompt_tokens=5&max_tokens=40").body());
        assertEquals("tiny", pricing.get("quote").get("tier").asText(), pricing.toString());
        for (String read : new String[] {"/trades", "/network", "/providers", "/safety", "/loans", "/pool", "/credit"}) {
            assertEquals(200, get(token, read).statusCode(), read);
        }
        HttpResponse<String> lent = post(token, "/lend", "{\"amount_cu\":\"10\"}");
        assertEquals(200, lent.statusCode(), lent.body());
        assertEquals("990.000000", JSON.readTree(lent.body()).get("balance_cu").asText());

        HttpResponse<String> tooMuch = post(token, "/withdraw", "{\"amount_cu\":\"11\"}");
        assertEquals(400, tooMuch.statusCode());
        assertEquals("not_lent_out", JSON.readTree(tooMuch.body()).get("error").asText());
        HttpResponse<String> notYours = get(token, "/balance?account=treasury");
        assertEquals(403, notYours.statusCode(), notYours.body());
        assertEquals(401, get(null, "/balance").statusCode());
        assertEquals(404, get(token, "/nothing").statusCode());

        HttpResponse<String> agentSetsPolicy = post(token, "/policy", "{\"agent\":\"rita\",\"max_per_request_cu\":\"1000\","
                + "\"max_per_hour_cu\":\"1000\",\"max_lifetime_cu\":\"1000\",\"approval_threshold_cu\":\"1000\"}");
        assertEquals(403, agentSetsPolicy.statusCode(), "an agent cannot raise its own limits");
        HttpResponse<String> operatorSetsPolicy = post(operator, "/policy", "{\"agent\":\"rita\",\"max_per_request_cu\":\"5\","
                + "\"max_per_hour_cu\":\"20\",\"max_lifetime_cu\":\"100\",\"approval_threshold_cu\":\"2\"}");
        assertEquals(200, operatorSetsPolicy.statusCode(), operatorSetsPolicy.body());
        assertEquals("2.000000", JSON.readTree(operatorSetsPolicy.body()).get("policy").get("approval_threshold_cu").asText());
    }

    /** Query values reach a tool with the types it declares: an account named 123 is a string, integers parse strictly. */
    @Test
    void queryValuesTakeTheTypesTheToolDeclares() throws Exception {
        String operator = Identities.operatorToken(dataDir());
        HttpResponse<String> created = post(operator, "/accounts", "{\"id\":\"123\"}");
        assertEquals(200, created.statusCode(), created.body());
        HttpResponse<String> balance = get(operator, "/balance?account=123");
        assertEquals(200, balance.statusCode(), balance.body());
        assertEquals("123", JSON.readTree(balance.body()).get("account").asText());
        assertEquals("1000.000000", JSON.readTree(balance.body()).get("balance_cu").asText());

        String token = JSON.readTree(created.body()).get("token").asText();
        assertEquals(200, get(token, "/trades?limit=3").statusCode());
        assertEquals(200, get(token, "/pricing?model=stories260K&prompt_tokens=0&max_tokens=1").statusCode());
        for (String refused : new String[] {"/trades?limit=3.5", "/trades?limit=three", "/trades?limit=%2B3", "/trades?limit=",
            "/trades?limit=0", "/trades?limit=99999999999999999999999", "/trades?limit=%D9%A3", "/pricing?max_tokens=1e3",
            "/balance?colour=red"}) {
            HttpResponse<String> r = get(token, refused);
            assertEquals(400, r.statusCode(), refused + ": " + r.body());
            assertEquals("invalid_argument", JSON.readTree(r.body()).get("error").asText(), refused + ": " + r.body());
        }
    }

    @Test
    void statementsDownloadAsSignedJsonAndCsv() throws Exception {
        String token = node.createAgent("sami");
        post(token, "/lend", "{\"amount_cu\":\"3\"}");
        String period = "from=0&to=" + (System.currentTimeMillis() + 60_000);
        JsonNode statement = JSON.readTree(get(token, "/statement?" + period).body());
        assertEquals("sami", statement.get("account").asText());
        assertEquals("997.000000", statement.get("closing_cu").asText());
        byte[] signed = java.util.Base64.getDecoder().decode(statement.get("signed_bytes_base64").asText());
        byte[] signature = java.util.HexFormat.of().parseHex(statement.get("signature").asText());
        byte[] nodeKey = java.util.HexFormat.of().parseHex(statement.get("node_key").asText());
        assertTrue(dev.forge.economy.crypto.Ed25519.verify(nodeKey, signed, signature), "the node's signature checks");
        assertTrue(java.util.Arrays.equals(nodeKey, node.identities().nodeKey().publicKey()));

        HttpResponse<String> csv = get(token, "/statement?format=csv&" + period);
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.body().contains("# signature " + statement.get("signature").asText()), csv.body());
        assertTrue(csv.body().contains("transfer_id,at,phase,counterparty,amount_cu,change_cu,code"));
        assertEquals(403, get(token, "/statement?account=rita").statusCode(), "an agent sees only its own");
    }

    java.nio.file.Path dataDir() {
        return java.nio.file.Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("forge.data", String.class));
    }
}
