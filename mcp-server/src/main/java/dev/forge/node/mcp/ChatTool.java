package dev.forge.node.mcp;

import dev.forge.node.ChatService;
import dev.forge.node.ChatService.ChatAnswer;
import dev.forge.node.ChatService.ChatRequest;

/** {@code chat}: pay for a model to answer; an adapter over {@link ChatService} that reports progress. */
final class ChatTool {
    private final ChatService chats;

    ChatTool(ChatService chats) {
        this.chats = chats;
    }

    ForgeTool tool() {
        return ForgeTool.named("chat").title("Chat with a model (spends CU)")
                .description("Runs a model and pays for it: on this node, or bought from another grid node when only others "
                        + "serve it or node names one (the answer's served_by). The most it can cost ((prompt tokens + max_tokens) "
                        + "x the price per 1,000 tokens, see pricing) is held first, and you pay only for the tokens "
                        + "actually used. Give a prompt, or messages for a chat. Spends above your approval threshold "
                        + "wait for a human: you get approval_required with an approval_id; call again with it once approved. "
                        + "Returns the text, the tokens, the cost, your balance after and the trade id.")
                .handles(ChatRequest.class, ChatAnswer.class, this::chat);
    }

    private ChatAnswer chat(ToolCall call, ChatRequest request) {
        int maxTokens = request.maxTokensOrDefault();
        call.progress(0, (double) maxTokens, "holding the cost and starting " + request.model());
        return chats.chat(call.actor(), request, call.askHuman(), new ChatService.Listener() {
            @Override
            public void tokens(int tokens) {
                if (tokens % 8 == 0) call.progress(tokens, (double) maxTokens, tokens + " tokens");
            }

            @Override
            public boolean clientGone() {
                return call.clientGone();
            }
        });
    }
}
