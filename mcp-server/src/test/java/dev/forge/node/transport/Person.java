package dev.forge.node.transport;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The person at an MCP client: answers the node's questions (elicitations) as the test tells
 * them to, and keeps what reached them (the questions and the progress notifications).
 */
public final class Person {
    /** What the person says when the node asks them to approve a spend. */
    public enum Answer { APPROVE, DECLINE }

    private volatile Answer answer = Answer.APPROVE;
    private final List<String> questions = new CopyOnWriteArrayList<>();
    private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

    public void willAnswer(Answer answer) {
        this.answer = answer;
    }

    public List<String> questions() {
        return questions;
    }

    /** The progress notifications that came for one call (by the progress token it sent). */
    public List<McpSchema.ProgressNotification> progressOf(Object progressToken) {
        return progress.stream().filter(p -> p.progressToken().equals(progressToken)).toList();
    }

    McpSchema.ElicitResult answer(McpSchema.ElicitFormRequest request) {
        questions.add(request.message());
        return switch (answer) {
            case APPROVE -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true));
            case DECLINE -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
        };
    }

    void progress(McpSchema.ProgressNotification notification) {
        progress.add(notification);
    }
}
