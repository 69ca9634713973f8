package dev.forge.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.policies.Actor;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;

/**
 * The operator's side of a real node over raw HTTP, for the tests of what the operator may do
 * and what it is answered: the node, its operator token, GET and POST with any token, and the
 * kill switch released after each test so that the next one starts spending.
 */
abstract class OperatorHttpFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "stories260K";

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI root;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void releaseIfPulled() {
        if (node.pipeline().killState().active()) node.pipeline().release(Actor.operator(), "test over");
    }

    String operator() throws Exception {
        return Identities.operatorToken(Path.of(ConfigProvider.getConfig().getValue("forge.data", String.class)));
    }

    HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(root.resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of this JSON body, or of none at all when it is null. */
    HttpResponse<String> post(String token, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(root.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
