package dev.forge.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.market.Cu;
import dev.forge.inference.Completion;
import dev.forge.inference.LocalModel;
import dev.forge.inference.ToolCall;
import dev.forge.node.ChatService;
import dev.forge.node.ForgeNode;
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
        try {
            return completion(body, context, connection);
        } catch (RuntimeException e) {
            return OpenAiErrors.response(e, node.metrics());
        }
    }

    private Response completion(JsonNode body, ContainerRequestContext context, io.vertx.core.http.HttpServerRequest connection) {
        CompletionRequest.Read read = CompletionRequest.read(body);
        String model = read.request().model();
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        var chats = node.chats();
        // A held spend, once approved, is resumed by sending its id back: {"x_forge": {"approval_id": "..."}}.
        if (!read.streams()) {
            var outcome = chats.chat(ApiAuth.actor(context), model, read.generation(), read.approvalId(), null, new ChatService.Listener() {
                @Override
                public boolean clientGone() {
                    return connection.response().closed();
                }
            });
            Map<String, Object> answer = base(id, "chat.completion", created, model);
            answer.put("choices", List.of(Map.of("index", 0, "message", message(outcome, calls(id, outcome, read)),
                    "finish_reason", finishReason(outcome))));
            answer.put("usage", usage(outcome));
            answer.put("x_forge", forge(outcome));
            return Response.ok(answer).build();
        }
        // Refusals (approval_required, a mismatched or used approval) come before the stream, as HTTP statuses.
        var held = chats.open(ApiAuth.actor(context), model, read.generation(), read.approvalId(), null);
        StreamingOutput stream = out -> {
            try {
                event(out, chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
            } catch (UncheckedIOException gone) {
                held.cancel("the client went away before the chat started");
                throw gone;
            }
            try {
                // With tools offered, whether the answer is text or a call is known only at its end: the text waits for it.
                StringBuilder waiting = read.toolsOffered() ? new StringBuilder() : null;
                var outcome = held.run(new ChatService.Listener() {
                    @Override
                    public void text(String piece) {
                        if (waiting != null) waiting.append(piece);
                        else event(out, chunk(id, created, model, Map.of("content", piece), null));
                    }

                    @Override
                    public boolean clientGone() {
                        return connection.response().closed();
                    }
                });
                List<Map<String, Object>> calls = calls(id, outcome, read);
                for (int i = 0; i < calls.size(); i++) {
                    Map<String, Object> call = new LinkedHashMap<>(calls.get(i));
                    call.put("index", i);
                    event(out, chunk(id, created, model, Map.of("tool_calls", List.of(call)), null));
                }
                if (calls.isEmpty() && waiting != null && !waiting.isEmpty()) {
                    event(out, chunk(id, created, model, Map.of("content", waiting.toString()), null));
                }
                Map<String, Object> last = chunk(id, created, model, Map.of(), finishReason(outcome));
                last.put("usage", usage(outcome));
                last.put("x_forge", forge(outcome));
                event(out, last);
            } catch (RuntimeException e) {
                if (connection.response().closed()) return; // nobody is left to tell
                // Headers are gone: the refusal travels as an SSE error event, as OpenAI streams its errors.
                event(out, OpenAiErrors.body(dev.forge.node.mcp.Refused.of(e).report(e, "openai stream", node.metrics())));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        };
        return Response.ok(stream, "text/event-stream").header("Cache-Control", "no-cache").build();
    }

    /**
     * The answer's tool calls in OpenAI's form, each with an id unique to this completion (the
     * engine numbers them from 0 in every answer, and a conversation holds many answers).
     */
    private static List<Map<String, Object>> calls(String completion, ChatService.ChatOutcome outcome, CompletionRequest.Read read) {
        if (outcome.completion().finishReason() != Completion.FinishReason.TOOL_CALL) return List.of();
        List<ToolCall> made = outcome.completion().toolCalls();
        if (read.oneCall()) made = made.subList(0, 1);
        List<Map<String, Object>> calls = new ArrayList<>();
        String prefix = "call_" + completion.substring("chatcmpl-".length()).replace("-", "") + "_";
        for (int i = 0; i < made.size(); i++) {
            String arguments;
            try {
                arguments = JSON.writeValueAsString(made.get(i).arguments());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            calls.add(Map.of("id", prefix + i, "type", "function", "function", Map.of("name", made.get(i).name(), "arguments", arguments)));
        }
        return calls;
    }

    /** The assistant's message: its text, or, when it called tools, no content and the calls. */
    private static Map<String, Object> message(ChatService.ChatOutcome outcome, List<Map<String, Object>> calls) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", calls.isEmpty() ? outcome.completion().text() : null);
        if (!calls.isEmpty()) message.put("tool_calls", calls);
        return message;
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
        Map<String, Object> forge = new LinkedHashMap<>(Map.of("cost_cu", Cu.format(o.cost()), "balance_cu",
                Cu.format(o.balance()), "trade_id", o.tradeId(), "price_per_1k_cu", Cu.format(o.pricePerKiloToken())));
        if (o.servedBy() != null) forge.put("served_by", o.servedBy());
        return forge;
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
