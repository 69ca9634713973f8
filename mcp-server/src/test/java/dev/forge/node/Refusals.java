package dev.forge.node;

import com.fasterxml.jackson.databind.JsonNode;

/** The stable code of a refusal's HTTP body: Forge's {@code {"error": code}} or OpenAI's {@code {"error": {"code"}}} on /v1. */
public final class Refusals {
    private Refusals() {
    }

    public static String code(JsonNode body) {
        JsonNode error = body.path("error");
        return error.isObject() ? error.path("code").asText() : error.asText();
    }

    public static String message(JsonNode body) {
        JsonNode error = body.path("error");
        return error.isObject() ? error.path("message").asText() : body.path("message").asText();
    }
}
