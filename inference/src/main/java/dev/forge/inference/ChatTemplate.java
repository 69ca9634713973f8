package dev.forge.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.safetensors.prompt.Function;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.safetensors.prompt.PromptSupport;
import com.github.tjake.jlama.safetensors.prompt.Tool;
import com.github.tjake.jlama.safetensors.prompt.ToolResult;
import com.github.tjake.jlama.util.JsonSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a prompt for one model with jlama's chat-template support (Jinja, from
 * tokenizer_config.json), and reads tool calls back out of an answer.
 *
 * <p>A model without a chat template gets a chat as plain text, one message per paragraph;
 * it cannot be offered tools, since nothing would tell it how to call them.
 */
final class ChatTemplate {
    private final String modelName;
    private final Optional<PromptSupport> support;
    private final boolean toolSupport;

    ChatTemplate(String modelName, AbstractModel model) {
        this.modelName = modelName;
        this.support = model.promptSupport();
        this.toolSupport = model.getTokenizer().getModel().hasToolSupport();
    }

    boolean present() {
        return support.isPresent();
    }

    boolean supportsTools() {
        return support.isPresent() && toolSupport;
    }

    PromptContext render(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Text text -> PromptContext.of(text.text());
            case Prompt.Chat chat -> support.isPresent() ? withTemplate(chat) : plain(chat);
        };
    }

    private PromptContext withTemplate(Prompt.Chat chat) {
        InferenceException.require(chat.tools().isEmpty() || toolSupport, InferenceException.Code.INVALID_ARGUMENT,
                modelName + "'s chat template does not support tools");
        PromptSupport.Builder builder = support.orElseThrow().builder();
        for (ChatMessage m : chat.messages()) {
            switch (m.role()) {
                case SYSTEM -> builder.addSystemMessage(m.content());
                case USER -> builder.addUserMessage(m.content());
                case ASSISTANT -> {
                    if (m.toolCall() != null) builder.addToolCall(jlamaCall(m.toolCall()));
                    else builder.addAssistantMessage(m.content());
                }
                case TOOL -> builder.addToolResult(ToolResult.from(m.toolCall().name(), m.toolCall().id(), m.content()));
            }
        }
        return chat.tools().isEmpty() ? builder.build() : builder.build(chat.tools().stream().map(ChatTemplate::tool).toList());
    }

    private PromptContext plain(Prompt.Chat chat) {
        InferenceException.require(chat.tools().isEmpty(), InferenceException.Code.INVALID_ARGUMENT,
                modelName + " has no chat template, so it cannot be offered tools");
        InferenceException.require(chat.messages().stream().allMatch(m -> m.toolCall() == null),
                InferenceException.Code.INVALID_ARGUMENT, modelName + " has no chat template for tool calls and results");
        return PromptContext.of(chat.messages().stream().map(ChatMessage::content).collect(Collectors.joining("\n\n")));
    }

    /**
     * The tool calls in an answer that ended on its own: JSON objects naming one of the
     * offered tools. An answer with none, or with JSON that does not parse, stays text.
     */
    List<ToolCall> toolCalls(Prompt prompt, String text) {
        if (!(prompt instanceof Prompt.Chat chat) || chat.tools().isEmpty() || !supportsTools()) return List.of();
        Set<String> offered = chat.tools().stream().map(ToolSpec::name).collect(Collectors.toSet());
        if (offered.stream().noneMatch(text::contains)) return List.of();
        List<ToolCall> calls = new ArrayList<>();
        try {
            for (String json : JsonSupport.extractJsonFromString(text)) {
                for (var call : parse(json)) {
                    if (!offered.contains(call.getName())) return List.of();
                    calls.add(new ToolCall("call_" + calls.size(), call.getName(), call.getParameters()));
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            return List.of();
        }
        return List.copyOf(calls);
    }

    private static List<com.github.tjake.jlama.safetensors.prompt.ToolCall> parse(String json) throws JsonProcessingException {
        if (json.startsWith("[")) return JsonSupport.om.readValue(json, new TypeReference<>() {});
        return List.of(JsonSupport.om.readValue(json, com.github.tjake.jlama.safetensors.prompt.ToolCall.class));
    }

    private static com.github.tjake.jlama.safetensors.prompt.ToolCall jlamaCall(ToolCall call) {
        return new com.github.tjake.jlama.safetensors.prompt.ToolCall(call.name(), call.id(), call.arguments());
    }

    private static Tool tool(ToolSpec spec) {
        Function.Builder function = Function.builder().name(spec.name()).description(spec.description());
        spec.properties().forEach((name, schema) -> function.addParameter(name, schema, spec.required().contains(name)));
        return Tool.from(function.build());
    }
}
