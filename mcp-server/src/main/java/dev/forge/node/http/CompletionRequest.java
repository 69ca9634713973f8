package dev.forge.node.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import dev.forge.inference.ToolCall;
import dev.forge.inference.ToolSpec;
import dev.forge.node.ChatRequests;
import dev.forge.node.ChatService;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.node.mcp.ToolSchemas;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI chat completion request as the node reads it: bound strictly to this record by the
 * MCP tools' own schema reader (unknown parameters, wrong types and out-of-range numbers are
 * {@code invalid_argument}), with what the engine cannot honour ({@code n} above 1,
 * {@code response_format}, {@code tool_choice} "required" or a named function) refused by name.
 * {@code messages}, {@code stop} and {@code tool_choice}, which OpenAI lets take several shapes,
 * are read by hand beside it.
 */
record CompletionRequest(
        @Size(min = 1, max = 64) String model,
        @Nullable @Min(1) @Max(ChatService.MAX_TOKENS) Integer maxTokens,
        @Nullable @Min(1) @Max(ChatService.MAX_TOKENS) Integer maxCompletionTokens,
        @Nullable @DecimalMin("0") @DecimalMax("2") Double temperature,
        @Nullable @Min(0) @Max(Long.MAX_VALUE) Long seed,
        @Nullable Boolean stream,
        @Nullable StreamOptions streamOptions,
        @Nullable @Size(max = 64) List<Tool> tools,
        @Nullable Boolean parallelToolCalls,
        @Nullable @Min(1) @Max(128) Integer n,
        @Nullable @DecimalMin("0") @DecimalMax("1") Double topP,
        @Nullable @DecimalMin("-2") @DecimalMax("2") Double frequencyPenalty,
        @Nullable @DecimalMin("-2") @DecimalMax("2") Double presencePenalty,
        @Nullable @Size(max = 256) String user,
        @Nullable XForge xForge) {
    /** The longest JSON of one tool's parameters. */
    static final int MAX_PARAMETERS = 16_384;
    /** The most tool calls in one assistant message. */
    static final int MAX_CALLS = 16;
    /** OpenAI parameters the node knows and cannot honour, and why. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "response_format", "the engine cannot hold its output to a format",
            "logprobs", "the node does not report token probabilities",
            "top_logprobs", "the node does not report token probabilities",
            "logit_bias", "the engine cannot bias tokens",
            "functions", "use tools",
            "function_call", "use tool_choice");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    record StreamOptions(@Nullable Boolean includeUsage) {
    }

    record XForge(@Nullable @Size(min = 1, max = 64) String approvalId) {
    }

    /** A tool's kind: OpenAI's only one is "function" (a string, as a one-value enum's schema would read its constant name). */
    record Tool(@Pattern(regexp = "function") String type, Function function) {
    }

    record Function(@Pattern(regexp = "[A-Za-z0-9_.-]{1,64}") String name, @Nullable @Size(max = 4_096) String description,
                    @Nullable Map<String, Object> parameters, @Nullable Boolean strict) {
    }

    /** A message of a chat that calls tools; a plain chat's messages are read by the chat tool's own schema. */
    record Message(@Pattern(regexp = "system|developer|user|assistant|tool") String role, @Nullable @Size(max = ChatService.MAX_TEXT) String content,
                   @Nullable @Size(min = 1, max = MAX_CALLS) List<Call> toolCalls,
                   @Nullable @Size(min = 1, max = 64) String toolCallId) {
    }

    record Messages(@Size(min = 1, max = ChatService.MAX_MESSAGES) List<Message> messages) {
    }

    record Call(@Size(min = 1, max = 64) String id, @Pattern(regexp = "function") String type, CalledFunction function) {
    }

    record CalledFunction(@Pattern(regexp = "[A-Za-z0-9_.-]{1,64}") String name,
                          @Size(max = ChatService.MAX_TEXT) String arguments) {
    }

    /** What the node runs and how it answers. */
    record Read(CompletionRequest request, GenerationRequest generation, boolean toolsOffered) {
        boolean streams() {
            return Boolean.TRUE.equals(request.stream());
        }

        String approvalId() {
            return request.xForge() == null ? null : request.xForge().approvalId();
        }

        /** parallel_tool_calls false: the answer carries the first call only. */
        boolean oneCall() {
            return Boolean.FALSE.equals(request.parallelToolCalls());
        }
    }

    static Read read(JsonNode body) {
        if (body == null || !body.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
        Map<String, Object> given = new LinkedHashMap<>(ToolSchemas.JSON.convertValue(body, MAP));
        UNSUPPORTED.forEach((name, why) -> {
            if (given.get(name) != null) throw new IllegalArgumentException(name + " is not supported: " + why);
        });
        Object messages = given.remove("messages");
        Object stop = given.remove("stop");
        Object toolChoice = given.remove("tool_choice");
        CompletionRequest request = ForgeMcp.read(CompletionRequest.class, given);
        request.refuseWhatCannotBeHonoured();
        List<ToolSpec> tools = offered(request.tools(), toolChoice);
        var chat = new Prompt.Chat(messages(messages), tools);
        int max = request.maxCompletionTokens() != null ? request.maxCompletionTokens()
                : request.maxTokens() != null ? request.maxTokens() : ChatService.DEFAULT_MAX_TOKENS;
        var generation = new GenerationRequest(chat, max,
                ChatRequests.temperature(request.temperature() == null ? 0 : request.temperature()),
                request.seed() == null ? 0 : request.seed(), stops(stop));
        return new Read(request, generation, !tools.isEmpty());
    }

    private void refuseWhatCannotBeHonoured() {
        if (n != null && n != 1) throw new IllegalArgumentException("n must be 1: the node makes one choice per request");
        if (topP != null && topP != 1) throw new IllegalArgumentException("top_p must be 1: the engine samples from every token");
        if (frequencyPenalty != null && frequencyPenalty != 0 || presencePenalty != null && presencePenalty != 0) {
            throw new IllegalArgumentException("frequency_penalty and presence_penalty must be 0: the engine applies no penalty");
        }
        if (tools != null) for (Tool t : tools) {
            if (Boolean.TRUE.equals(t.function().strict())) {
                throw new IllegalArgumentException("tools[].function.strict must be false: the engine cannot hold a call to its schema");
            }
        }
    }

    /** The tools the model is offered: all of them for tool_choice auto (the default), none for none. */
    private static List<ToolSpec> offered(List<Tool> tools, Object choice) {
        if ("none".equals(choice)) return List.of();
        if (choice != null && !"auto".equals(choice)) {
            throw new IllegalArgumentException("tool_choice must be auto or none: the engine cannot force a call"
                    + (choice instanceof String ? "" : " of a named function"));
        }
        if (tools == null) return List.of();
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) specs.add(spec(tools.get(i).function(), "tools[" + i + "].function.parameters"));
        return specs;
    }

    @SuppressWarnings("unchecked")
    private static ToolSpec spec(Function f, String at) {
        Map<String, Object> p = f.parameters() == null ? Map.of() : f.parameters();
        try {
            if (ToolSchemas.JSON.writeValueAsString(p).length() > MAX_PARAMETERS) {
                throw new IllegalArgumentException(at + " is longer than " + MAX_PARAMETERS + " characters of JSON");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(at + " is not JSON");
        }
        if (p.get("type") != null && !"object".equals(p.get("type"))) throw new IllegalArgumentException(at + ".type must be object");
        Object properties = p.getOrDefault("properties", Map.of());
        Object required = p.getOrDefault("required", List.of());
        if (!(properties instanceof Map<?, ?> props) || !props.values().stream().allMatch(v -> v instanceof Map)) {
            throw new IllegalArgumentException(at + ".properties must be an object of schemas");
        }
        if (!(required instanceof List<?> names) || !names.stream().allMatch(v -> v instanceof String)) {
            throw new IllegalArgumentException(at + ".required must be an array of names");
        }
        return new ToolSpec(f.name(), f.description(), (Map<String, Map<String, Object>>) properties, (List<String>) required);
    }

    /** A plain chat by the chat tool's schema (so both surfaces refuse it in the same words); one with tool turns by {@link Messages}. */
    private static List<ChatMessage> messages(Object given) {
        if (!(given instanceof List<?> list) || list.isEmpty()) throw new IllegalArgumentException("messages must be a non-empty array");
        List<Object> items = new ArrayList<>(list.size());
        boolean toolTurns = false;
        for (Object m : list) {
            if (!(m instanceof Map<?, ?> map)) {
                items.add(m); // not a message: the schema check refuses it
                continue;
            }
            // Only the parts a Forge chat reads: OpenAI clients may send more (a name) that changes nothing here.
            Map<String, Object> item = new LinkedHashMap<>();
            if (map.get("role") != null) item.put("role", "developer".equals(map.get("role")) ? "system" : map.get("role"));
            if (map.get("content") != null) item.put("content", text(map.get("content")));
            if (map.get("tool_calls") != null) item.put("tool_calls", map.get("tool_calls"));
            if (map.get("tool_call_id") != null) item.put("tool_call_id", map.get("tool_call_id"));
            toolTurns |= item.containsKey("tool_calls") || item.containsKey("tool_call_id") || "tool".equals(item.get("role"));
            items.add(item);
        }
        if (!toolTurns) return ChatService.chatMessages(ForgeMcp.read(ChatService.Messages.class, Map.of("messages", items)).messages());
        return engineMessages(ForgeMcp.read(Messages.class, Map.of("messages", items)).messages());
    }

    /** Content as a string, or OpenAI's array of text parts joined; anything else is left for the schema to refuse. */
    private static Object text(Object content) {
        if (!(content instanceof List<?> parts)) return content;
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (!(part instanceof Map<?, ?> p) || !"text".equals(p.get("type")) || !(p.get("text") instanceof String s)) {
                throw new IllegalArgumentException("a message's content is a string or an array of text parts");
            }
            out.append(s);
        }
        return out.toString();
    }

    private static List<ChatMessage> engineMessages(List<Message> messages) {
        Map<String, ToolCall> calls = new LinkedHashMap<>();
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String at = "messages[" + i + "]";
            if (m.toolCalls() != null && !m.role().equals("assistant")) throw new IllegalArgumentException(at + ": only an assistant calls tools");
            if (m.toolCallId() != null && !m.role().equals("tool")) throw new IllegalArgumentException(at + ": only a tool message has tool_call_id");
            switch (m.role()) {
                case "assistant" -> {
                    if (m.content() != null && !m.content().isEmpty() || m.toolCalls() == null) out.add(ChatMessage.assistant(content(m, at)));
                    if (m.toolCalls() != null) for (int j = 0; j < m.toolCalls().size(); j++) {
                        ToolCall call = call(m.toolCalls().get(j), at + ".tool_calls[" + j + "]");
                        if (calls.putIfAbsent(call.id(), call) != null) throw new IllegalArgumentException(at + ": tool call id " + call.id() + " is used twice");
                        out.add(ChatMessage.toolCall(call));
                    }
                }
                case "tool" -> {
                    if (m.toolCallId() == null) throw new IllegalArgumentException(at + ": a tool message needs tool_call_id");
                    ToolCall call = calls.get(m.toolCallId());
                    if (call == null) throw new IllegalArgumentException(at + ".tool_call_id names no earlier tool call");
                    out.add(ChatMessage.toolResult(call, content(m, at)));
                }
                default -> out.add(ChatService.message(m.role().equals("developer") ? "system" : m.role(), content(m, at)));
            }
        }
        return out;
    }

    private static String content(Message m, String at) {
        if (m.content() == null) throw new IllegalArgumentException("missing argument '" + at + ".content'");
        return m.content();
    }

    private static ToolCall call(Call c, String at) {
        Map<String, Object> arguments;
        try {
            JsonNode json = ToolSchemas.JSON.readTree(c.function().arguments().isBlank() ? "{}" : c.function().arguments());
            if (!json.isObject()) throw new IllegalArgumentException(at + ".function.arguments must be a JSON object");
            arguments = ToolSchemas.JSON.convertValue(json, MAP);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(at + ".function.arguments must be a JSON object written as a string");
        }
        return new ToolCall(c.id(), c.function().name(), arguments);
    }

    private static List<String> stops(Object stop) {
        if (stop == null) return List.of();
        if (stop instanceof String s) return List.of(s);
        if (stop instanceof List<?> list && list.size() <= 8 && list.stream().allMatch(s -> s instanceof String)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new IllegalArgumentException("stop must be a string or an array of at most 8 strings");
    }
}
