package dev.forge.node.work;

import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.Reexecution;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceEngine;
import dev.forge.inference.LocalModel;
import dev.forge.inference.Prompt;
import dev.forge.node.provide.ChatRunner;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Replays a chat order on the node's own engine, where it serves a model with the attested
 * {@link ModelDigest}: the order's prompt, max tokens, temperature, seed and stop. At the
 * lowest priority: one replay at a time, only while nobody waits for that model, and only
 * orders of at most {@value #MAX_REPLAY_TOKENS} tokens; otherwise the run is declined and the
 * check is inconclusive. The output body is the text's UTF-8 bytes, as a provider's is.
 */
public final class NodeReexecution implements Reexecution {
    static final int MAX_REPLAY_TOKENS = 512;
    private final Supplier<InferenceEngine> engines;
    private final Semaphore one = new Semaphore(1);
    private Map<String, String> modelsByDigest = Map.of();
    private int modelsCounted = -1;

    /** @param engines the node's engine, or null while it is not open yet */
    public NodeReexecution(Supplier<InferenceEngine> engines) {
        this.engines = engines;
    }

    @Override
    public boolean has(byte[] modelDigest) {
        return models().containsKey(HexFormat.of().formatHex(modelDigest));
    }

    /** The digests of the loaded models' folders, computed again only when models were loaded (it reads every file). */
    private synchronized Map<String, String> models() {
        InferenceEngine engine = engines.get();
        if (engine == null) return Map.of();
        List<LocalModel> loaded = engine.models();
        if (loaded.size() != modelsCounted) {
            Map<String, String> digests = new HashMap<>();
            for (LocalModel model : loaded) digests.put(HexFormat.of().formatHex(ModelDigest.of(model.folder().path())), model.name());
            modelsByDigest = Map.copyOf(digests);
            modelsCounted = loaded.size();
        }
        return modelsByDigest;
    }

    @Override
    public Run run(WorkOrder order, byte[] input) throws Exception {
        if (order.kind() != WorkKind.INFERENCE_CHAT) throw new IllegalStateException("only chat orders are replayed here");
        Replay replay = order.replay();
        if (replay.maxTokens() > MAX_REPLAY_TOKENS) {
            throw new IllegalStateException("orders of more than " + MAX_REPLAY_TOKENS + " tokens are not replayed here");
        }
        String model = models().get(HexFormat.of().formatHex(order.modelDigest()));
        InferenceEngine engine = engines.get();
        if (model == null) throw new IllegalStateException("the model is no longer loaded");
        if (engine.slot(model).queueDepth() > 0 || !one.tryAcquire()) {
            throw new IllegalStateException("the node is busy; replays wait for an idle moment");
        }
        try {
            Prompt prompt = prompt(ChatRequest.orderedBy(order, input));
            var request = new GenerationRequest(prompt, replay.maxTokens(), replay.temperature(), replay.seed(), replay.stop());
            Completion completion = engine.generate(model, request, text -> { }, () -> false);
            // Described as a provider describes its run, so that the same kernel path compares equal.
            return new Run(completion.text().getBytes(StandardCharsets.UTF_8), ChatRunner.describe(engine.slot(model).model()));
        } finally {
            one.release();
        }
    }

    static Prompt prompt(ChatRequest request) {
        return switch (request.input()) {
            case ChatRequest.Messages m -> new Prompt.Chat(m.messages().stream()
                    .map(message -> new ChatMessage(ChatMessage.Role.valueOf(message.role().name()), message.content(), null))
                    .toList(), List.of());
            case ChatRequest.Text t -> new Prompt.Text(t.text());
        };
    }

}
