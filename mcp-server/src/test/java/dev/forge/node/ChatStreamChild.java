package dev.forge.node;

import dev.forge.inference.GenerationRequest;
import dev.forge.policies.Actor;
import java.nio.file.Path;
import java.util.List;

/**
 * A node in its own JVM that chats in a loop as agent "kim", printing {@code ACK <trade id>}
 * after each chat returns (the moment a client would see it acknowledged). The crash test
 * kills it with SIGKILL mid-stream.
 */
public final class ChatStreamChild {
    public static void main(String[] args) {
        ForgeNode node = ForgeNode.open(NodeSettings.of(Path.of(args[0]), List.of(args[1])));
        if (node.ledger().account("kim").isEmpty()) node.createAgent("kim");
        var chats = node.chats();
        String model = Path.of(args[1]).getFileName().toString();
        for (int i = 0; ; i++) {
            var outcome = chats.chat(Actor.agent("kim"), model, GenerationRequest.greedy("Once upon a time", 8 + i % 8),
                    null, null, ChatService.Listener.NONE);
            System.out.println("ACK " + outcome.tradeId());
            System.out.flush();
        }
    }
}
