package dev.forge.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.market.Cu;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.LocalModel;
import dev.forge.inference.Prompt;
import dev.forge.node.ChatRequests;
import dev.forge.node.ChatService;
import dev.forge.node.ForgeNode;
import dev.forge.node.mcp.ForgeMcp;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * OpenAI's chat completions and models, for the many tools that speak them. A completion goes
 * through exactly the MCP {@code chat} tool's path ({@link ChatService}): the same hold,
 * safety checks, metering and dual-signed trade; every answer carries {@code x_forge}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ForgeNode node;

    @GET
    @Path("/models")
    public Map<String, Object> models() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (LocalModel m : node.engine().models()) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", m.name());
            model.put("object", "model");
            model.put("created", 0);
            model.put("owned_by", ForgeNode.PROVIDER);
            model.put("x_forge", Map.of("tier", m.tier().name().toLowerCase(Locale.ROOT),
                    "price_per_1k_cu", Cu.format(node.chats().price(m.name()))));
            data.add(model);
        }
        return Map.of("object", "list", "data", data);
    }

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(JsonNode body, @Context ContainerRequestContext context,
                             @Context io.vertx.core.http.HttpServerRequest connection) {
        if (body == null || !body.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
        String model = text(body, "model");
        GenerationRequest request = request(body);
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        var chats = node.chats();
        // A held spend, once approved, is resumed by sending its id back: {"x_forge": {"approval_id": "..."}}.
        String approval = body.path("x_forge").path("approval_id").isTextual() ? body.path("x_forge").path("approval_id").asText() : null;
        if (!body.path("stream").asBoolean(false)) {
            var outcome = chats.chat(ApiAuth.actor(context), model, request, approval, null, new ChatService.Listener() {
                @Override
                public boolean clientGone() {
                    return connection.response().closed();
                }
            });
            Map<String, Object> answer = base(id, "chat.completion", created, model);
            answer.put("choices", List.of(Map.of("index", 0, "message", Map.of("role", "assistant",
                    "content", outcome.completion().text()), "finish_reason", finishReason(outcome))));
            answer.put("usage", usage(outcome));
            answer.put("x_forge", forge(outcome));
            return Response.ok(answer).build();
        }
        // Refusals (approval_required, a mismatched or used approval) come before the stream, as HTTP statuses.
        var held = chats.open(ApiAuth.actor(context), model, request, approval, null);
        StreamingOutput stream = out -> {
            try {
                event(out, chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
            } catch (UncheckedIOException gone) {
                held.cancel("the client went away before the chat started");
                throw gone;
            }
            try {
                var outcome = held.run(new ChatService.Listener() {
                    @Override
                    public void text(String piece) {
                        event(out, chunk(id, created, model, Map.of("content", piece), null));
                    }

                    @Override
                    public boolean clientGone() {
                        return connection.response().closed();
                    }
                });
                Map<String, Object> last = chunk(id, created, model, Map.of(), finishReason(outcome));
                last.put("usage", usage(outcome));
                last.put("x_forge", forge(outcome));
                event(out, last);
            } catch (RuntimeException e) {
                if (connection.response().closed()) return; // nobody is left to tell
                // Headers are gone: the refusal travels as an SSE error event with the same body as elsewhere.
                event(out, Map.of("error", ApiErrors.body(e)));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        };
        return Response.ok(stream, "text/event-stream").header("Cache-Control", "no-cache").build();
    }

    private static GenerationRequest request(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) throw new IllegalArgumentException("messages must be a non-empty array");
        List<Object> items = new ArrayList<>();
        for (JsonNode m : messages) {
            if (!m.isObject()) {
                items.add(m); // not a message: the schema check refuses it
                continue;
            }
            // Only the parts a Forge chat reads: OpenAI clients may send more (a name) that changes nothing here.
            Map<String, Object> item = new LinkedHashMap<>();
            if (m.has("role")) item.put("role", "developer".equals(m.path("role").asText()) ? "system" : JSON.convertValue(m.get("role"), Object.class));
            if (m.has("content")) item.put("content", JSON.convertValue(m.get("content"), Object.class));
            items.add(item);
        }
        // Read by the chat tool's own schema and record, so that both surfaces refuse a chat alike.
        List<ChatMessage> chat = ChatService.chatMessages(ForgeMcp.read(ChatService.Messages.class, Map.of("messages", items)).messages());
        String max = body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = (int) JsonArgs.integer(body, max, 1, ChatService.MAX_TOKENS, ChatService.DEFAULT_MAX_TOKENS);
        double temperature = JsonArgs.number(body, "temperature", 0, ChatService.MAX_TEMPERATURE, 0);
        List<String> stop = new ArrayList<>();
        JsonNode s = body.path("stop");
        if (s.isTextual()) stop.add(s.asText());
        else if (s.isArray()) s.forEach(item -> stop.add(item.asText()));
        return new GenerationRequest(new Prompt.Chat(chat, List.of()), maxTokens, ChatRequests.temperature(temperature),
                JsonArgs.integer(body, "seed", 0, Long.MAX_VALUE, 0), stop);
    }

    private static String text(JsonNode body, String field) {
        if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return body.path(field).asText();
    }

    private static Map<String, Object> base(String id, String object, long created, String model) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("object", object);
        out.put("created", created);
        out.put("model", model);
        return out;
    }

    private static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta, String finish) {
        Map<String, Object> out = base(id, "chat.completion.chunk", created, model);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finish);
        out.put("choices", List.of(choice));
        return out;
    }

    private static Map<String, Object> usage(ChatService.ChatOutcome o) {
        int prompt = o.completion().promptTokens();
        int completion = o.completion().completionTokens();
        return Map.of("prompt_tokens", prompt, "completion_tokens", completion, "total_tokens", prompt + completion);
    }

    private static Map<String, Object> forge(ChatService.ChatOutcome o) {
        return Map.of("cost_cu", Cu.format(o.cost()), "balance_cu", Cu.format(o.balance()), "trade_id", o.tradeId(),
                "price_per_1k_cu", Cu.format(o.pricePerKiloToken()));
    }

    private static String finishReason(ChatService.ChatOutcome o) {
        return switch (o.completion().finishReason()) {
            case LENGTH -> "length";
            case TOOL_CALL -> "tool_calls";
            default -> "stop";
        };
    }

    private static void event(OutputStream out, Object data) {
        try {
            out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away", e);
        }
    }
}
