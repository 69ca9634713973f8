package dev.forge.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The error bodies written before any framework reads a request are JSON whatever their text holds. */
class ErrorBodiesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJsonRpcErrorKeepsItsNullIdAndEscapesEveryCharacter() throws Exception {
        String message = "line one\nline \"two\" \\ tab\t bell\u0007 end";
        JsonNode error = JSON.readTree(HttpGuard.mcpError(-32600, message));
        assertEquals("2.0", error.get("jsonrpc").asText());
        assertTrue(error.has("id") && error.get("id").isNull(), error.toString());
        assertEquals(-32600, error.get("error").get("code").asInt());
        assertEquals(message, error.get("error").get("message").asText());
    }

    @Test
    void aRestRefusalIsTheOneRefusalBody() throws Exception {
        JsonNode body = JSON.readTree(Bearer.restBody("not-a-token"));
        assertEquals("unauthorized", body.get("error").asText());
        assertEquals("this token is not valid on this node", body.get("message").asText());
        assertEquals(2, body.size(), body.toString());
    }
}
