package dev.forge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When {@code forge mcp} cannot serve (token refused, no node), it still speaks MCP: it answers the
 * client's initialize with a JSON-RPC error carrying the one-line reason, which the client shows.
 */
final class StdioRefusal {
    /** The code the node itself uses for a refused token. */
    static final int UNAUTHORIZED = -32001;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StdioRefusal() {
    }

    static void answerInitialize(String reason) {
        try {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode message = JSON.readTree(line);
                if (!message.has("id") || !message.has("method")) continue; // notifications need no answer
                System.out.println(JSON.writeValueAsString(error(message.get("id"), reason)));
                System.out.flush();
                if (message.path("method").asText().equals("initialize")) return;
            }
        } catch (IOException e) {
            // The client went away: nobody is left to tell.
        }
    }

    private static Map<String, Object> error(JsonNode id, String reason) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", UNAUTHORIZED);
        error.put("message", reason);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
        response.put("error", error);
        return response;
    }
}
