package dev.forge.node.work;

import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.Reexecution;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceEngine;
import dev.forge.inference.LocalModel;
import dev.forge.inference.Prompt;
import dev.forge.node.provide.ChatRunner;
import dev.forge.node.provide.EvalRunner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Replays an order on the node's own engine, where it serves a model with the attested
 * {@link ModelDigest}: a chat's prompt with the order's max tokens, temperature, seed and stop
 * (the output body is the text's UTF-8 bytes, as a provider's is), or every case of an eval
 * as {@link EvalRunner} runs it (the body is the eval result's bytes). At the lowest priority:
 * one replay at a time, only while nobody waits for that model, and only orders of at most
 * {@value #MAX_REPLAY_TOKENS} tokens (an eval: all its cases); otherwise the run is declined
 * and the check is inconclusive.
 */
public final class NodeReexecution implements Reexecution {
    static final int MAX_REPLAY_TOKENS = 512;
    private final Supplier<InferenceEngine> engines;
    private final Semaphore one = new Semaphore(1);

    /** @param engines the node's engine, or null while it is not open yet */
    public NodeReexecution(Supplier<InferenceEngine> engines) {
        this.engines = engines;
    }

    @Override
    public boolean has(byte[] modelDigest) {
        return modelWith(modelDigest) != null;
    }

    /** The loaded model whose folder has that digest (each computed once, as the engine loaded it), or null. */
    private String modelWith(byte[] modelDigest) {
        InferenceEngine engine = engines.get();
        if (engine == null || modelDigest.length != Sha256.SIZE) return null;
        for (LocalModel model : engine.models()) {
            if (Arrays.equals(model.digest(), modelDigest)) return model.name();
        }
        return null;
    }

    @Override
    public Run run(WorkOrder order, byte[] input, long completionTokens) throws Exception {
        EvalInput eval = order.kind() == WorkKind.EVAL ? EvalInput.decode(input) : null;
        long tokens = eval == null ? order.replay().maxTokens() : eval.maxTokens();
        if (tokens > MAX_REPLAY_TOKENS) {
            throw new IllegalStateException("orders of more than " + MAX_REPLAY_TOKENS + " tokens are not replayed here");
        }
        String model = modelWith(order.modelDigest());
        InferenceEngine engine = engines.get();
        if (model == null) throw new IllegalStateException("the model is no longer loaded");
        if (engine.slot(model).queueDepth() > 0 || !one.tryAcquire()) {
            throw new IllegalStateException("the node is busy; replays wait for an idle moment");
        }
        try {
            EvalRunner.Generator generate = request -> engine.generate(model, request, text -> { }, () -> false);
            byte[] output = eval == null ? chat(order, input, completionTokens, generate) : EvalRunner.run(eval, Sha256.hash(input), order.replay(),
                    generate).output();
            // Described as a provider describes its run, so that the same kernel path compares equal.
            return new Run(output, ChatRunner.describe(engine.slot(model).model()));
        } finally {
            one.release();
        }
    }

    /** A chat's output body: the text's UTF-8 bytes. */
    private static byte[] chat(WorkOrder order, byte[] input, long completionTokens, EvalRunner.Generator generate) {
        Replay replay = order.replay();
        Prompt prompt = ChatRunner.prompt(ChatRequest.orderedBy(order, input));
        int tokens = (int) Math.clamp(completionTokens, 1, replay.maxTokens());
        var request = new GenerationRequest(prompt, tokens, replay.temperature(), replay.seed(), replay.stop());
        return generate.generate(request).text().getBytes(StandardCharsets.UTF_8);
    }
}
