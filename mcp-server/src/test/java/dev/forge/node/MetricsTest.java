package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** /metrics in Prometheus format, open like /health, with the node's own meters. */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class MetricsTest {
    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void prometheusSeesTokensTradesPricesRefusalsAndLatency() throws Exception {
        String token = node.createAgent("mia");
        String chat = "{\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":7}";
        var completion = send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(chat)));
        assertEquals(200, completion.statusCode(), completion.body());
        send(HttpRequest.newBuilder(base.resolve("/v1/forge/withdraw")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"amount_cu\":\"5\"}")));

        var metrics = send(HttpRequest.newBuilder(base.resolve("/metrics")));
        assertEquals(200, metrics.statusCode());
        String text = metrics.body();
        for (String expected : new String[] {"forge_trades_total{", "forge_tokens_total{kind=\"completion\"",
                "forge_volume_cu_total{", "forge_price_cu_per_1k_tokens{tier=\"tiny\"}", "forge_queue_depth{model=\"stories260K\"}",
                "forge_circuit_breaker_open{model=\"stories260K\"}", "forge_kill_switch_active", "forge_refusals_total{code=\"not_lent_out\"}",
                "forge_chat_seconds_bucket{", "http_server_requests_seconds_count{"}) {
            assertTrue(text.contains(expected), "missing " + expected);
        }
        assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/health"))).statusCode());
    }
}
