package dev.forge.node.mcp;

import static dev.forge.node.mcp.Schema.cu;
import static dev.forge.node.mcp.Schema.integer;
import static dev.forge.node.mcp.Schema.object;
import static dev.forge.node.mcp.Schema.optional;
import static dev.forge.node.mcp.Schema.required;
import static dev.forge.node.mcp.Schema.string;

import dev.forge.inference.ChatMessage;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.Prompt;
import dev.forge.node.ChatRequests;
import dev.forge.node.ChatService;
import dev.forge.node.ForgeNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code chat}: pay for a model to answer. */
final class ChatTool {
    private final ForgeNode node;
    private final ChatService chats;

    ChatTool(ForgeNode node) {
        this.node = node;
        this.chats = new ChatService(node);
    }

    ForgeTool tool() {
        return ForgeTool.named("chat").title("Chat with a model (spends CU)")
                .description("Runs a model on this node and pays for it: the most it can cost ((prompt tokens + max_tokens) "
                        + "x the price per 1,000 tokens, see pricing) is held first, and you pay only for the tokens "
                        + "actually used. Give a prompt, or messages for a chat. Spends above your approval threshold "
                        + "wait for a human: you get approval_required with an approval_id; call again with it once approved. "
                        + "Returns the text, the tokens, the cost, your balance after and the trade id.")
                .input(object(required("model", string("a model this node serves (see providers)", 64)),
                        optional("prompt", string("text for the model to continue or answer", 200_000)),
                        optional("messages", Schema.array("a chat instead of a prompt", object(
                                required("role", Schema.choice("who speaks", "system", "user", "assistant")),
                                required("content", string("what they say", 200_000))))),
                        optional("max_tokens", integer("the most tokens to generate (default " + ChatService.DEFAULT_MAX_TOKENS + ")", 1,
                                ChatService.MAX_TOKENS)),
                        optional("temperature", Schema.number("0 for the most likely text, up to 2 (default 0)", 0,
                                ChatService.MAX_TEMPERATURE)),
                        optional("seed", integer("makes sampling repeatable", 0, Long.MAX_VALUE)),
                        optional("approval_id", string("the approval to spend, after a human approved it", 64))))
                .output(object(required("text", string("the model's answer")), required("model", string("the model")),
                        required("finish_reason", string("end, stop, length or tool_call")),
                        required("prompt_tokens", integer("tokens read")), required("completion_tokens", integer("tokens written")),
                        required("price_per_1k_cu", cu("price applied")), required("cost_cu", cu("what you paid")),
                        required("balance_cu", cu("your balance after")), required("trade_id", integer("the signed trade"))))
                .handler(this::chat);
    }

    private Map<String, Object> chat(ToolCall call) {
        Args a = call.args();
        String model = a.string("model", 64);
        int maxTokens = (int) a.integer("max_tokens", 1, ChatService.MAX_TOKENS, ChatService.DEFAULT_MAX_TOKENS);
        var request = new GenerationRequest(prompt(a), maxTokens, ChatRequests.temperature(a.number("temperature", 0, ChatService.MAX_TEMPERATURE, 0)),
                a.integer("seed", 0, Long.MAX_VALUE, 0), List.of());
        call.progress(0, (double) maxTokens, "holding the cost and starting " + model);
        var outcome = chats.chat(call.actor(), model, request, a.string("approval_id", 64, null),
                ClientApproval.of(call),
                new ChatService.Listener() {
                    @Override
                    public void tokens(int tokens) {
                        if (tokens % 8 == 0) call.progress(tokens, (double) maxTokens, tokens + " tokens");
                    }

                    @Override
                    public boolean clientGone() {
                        return call.clientGone();
                    }
                });
        var c = outcome.completion();
        return Out.of().put("text", c.text()).put("model", outcome.model())
                .put("finish_reason", c.finishReason().name().toLowerCase(Locale.ROOT))
                .put("prompt_tokens", c.promptTokens()).put("completion_tokens", c.completionTokens())
                .cu("price_per_1k_cu", outcome.pricePerKiloToken()).cu("cost_cu", outcome.cost())
                .cu("balance_cu", outcome.balance()).put("trade_id", outcome.tradeId()).map();
    }

    private static Prompt prompt(Args a) {
        if (a.has("prompt") == a.has("messages")) throw ToolException.invalid("give either prompt or messages");
        if (a.has("prompt")) return new Prompt.Text(a.string("prompt", 200_000));
        List<ChatMessage> messages = ChatService.messages(a.list("messages", 200));
        return new Prompt.Chat(messages, List.of());
    }
}
