package dev.forge.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.forge.economy.work.ChatRequest;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.ToolCall;
import dev.forge.inference.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat's tools, tool calls and tool results in the canonical chat request
 * ({@code forge/chat-request/v1}), which has only system, user and assistant turns: each is a
 * turn whose content is a marker line and compact JSON with its keys sorted (docs/rest.md).
 * A plain turn whose content starts with {@value #MARK} is refused, so that no plain chat has
 * the digest of a chat with tools.
 */
final class ToolTurns {
    static final String MARK = "forge/tool";
    static final String TOOLS = "forge/tools/v1\n";
    static final String CALL = "forge/tool-call/v1\n";
    static final String RESULT = "forge/tool-result/v1\n";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private ToolTurns() {
    }

    /** The canonical turns of a chat: its tools first (when it offers any), then each message. */
    static List<ChatRequest.Message> encode(List<ToolSpec> tools, List<ChatMessage> messages) {
        List<ChatRequest.Message> out = new ArrayList<>(messages.size() + 1);
        if (!tools.isEmpty()) {
            List<Map<String, Object>> specs = tools.stream().map(t -> Map.<String, Object>of("name", t.name(),
                    "description", t.description(), "properties", t.properties(), "required", t.required())).toList();
            out.add(new ChatRequest.Message(ChatRequest.Role.SYSTEM, TOOLS + json(specs)));
        }
        for (ChatMessage m : messages) out.add(turn(m));
        return out;
    }

    private static ChatRequest.Message turn(ChatMessage m) {
        if (m.role() == ChatMessage.Role.TOOL) {
            return new ChatRequest.Message(ChatRequest.Role.USER, RESULT + json(Map.of("id", id(m.toolCall()),
                    "name", m.toolCall().name(), "content", m.content())));
        }
        if (m.toolCall() != null) {
            return new ChatRequest.Message(ChatRequest.Role.ASSISTANT, CALL + json(Map.of("id", id(m.toolCall()),
                    "name", m.toolCall().name(), "arguments", m.toolCall().arguments())));
        }
        if (m.content().startsWith(MARK)) {
            throw new IllegalArgumentException("a message's content may not start with '" + MARK + "', which marks tool turns");
        }
        ChatRequest.Role role = switch (m.role()) {
            case SYSTEM -> ChatRequest.Role.SYSTEM;
            case USER -> ChatRequest.Role.USER;
            default -> ChatRequest.Role.ASSISTANT;
        };
        return new ChatRequest.Message(role, m.content());
    }

    /** The tools a canonical chat offers: none unless its first turn is a tools turn. */
    static List<ToolSpec> tools(List<ChatRequest.Message> turns) {
        if (turns.isEmpty() || !turns.getFirst().content().startsWith(TOOLS)) return List.of();
        List<ToolSpec> tools = new ArrayList<>();
        for (Object spec : read(turns.getFirst().content().substring(TOOLS.length()), new TypeReference<List<Map<String, Object>>>() {
        })) {
            Map<?, ?> s = (Map<?, ?>) spec;
            @SuppressWarnings("unchecked")
            var properties = (Map<String, Map<String, Object>>) s.get("properties");
            @SuppressWarnings("unchecked")
            var required = (List<String>) s.get("required");
            tools.add(new ToolSpec((String) s.get("name"), (String) s.get("description"), properties, required));
        }
        return tools;
    }

    /** The engine's message for a canonical turn (a tools turn is read by {@link #tools}, not here). */
    @SuppressWarnings("unchecked")
    static ChatMessage message(ChatRequest.Message m) {
        String content = m.content();
        if (m.role() == ChatRequest.Role.ASSISTANT && content.startsWith(CALL)) {
            Map<String, Object> call = read(content.substring(CALL.length()), MAP);
            return ChatMessage.toolCall(new ToolCall((String) call.get("id"), (String) call.get("name"),
                    (Map<String, Object>) call.get("arguments")));
        }
        if (m.role() == ChatRequest.Role.USER && content.startsWith(RESULT)) {
            Map<String, Object> result = read(content.substring(RESULT.length()), MAP);
            return ChatMessage.toolResult(new ToolCall((String) result.get("id"), (String) result.get("name"), Map.of()),
                    (String) result.get("content"));
        }
        return switch (m.role()) {
            case SYSTEM -> ChatMessage.system(content);
            case USER -> ChatMessage.user(content);
            case ASSISTANT -> ChatMessage.assistant(content);
        };
    }

    private static String id(ToolCall call) {
        return call.id() == null ? "" : call.id();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a tool's schema or arguments are not JSON", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("a tool turn of the request is not valid JSON", e);
        }
    }
}
