package dev.forge.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The node's REST API with the operator's token: how the demo sets the scene and reads the books. */
final class OperatorApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI node;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    OperatorApi(URI node, String token) {
        this.node = node;
        this.token = token;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(node.resolve(path)).GET());
    }

    JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(node.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("a body that is not JSON", e);
        }
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            var response = http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                throw new DemoException(body.path("error").asText("http_" + response.statusCode()) + ": " + body.path("message").asText());
            }
            return body;
        } catch (IOException e) {
            throw new DemoException("the node did not answer " + request.build().uri().getPath() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }
}
