package dev.forge.node.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.EvalResult;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.Reexecution;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.WorkKind;
import dev.forge.economy.work.WorkOrder;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceEngine;
import dev.forge.inference.InferenceGuard;
import dev.forge.inference.Tier;
import dev.forge.inference.Prompt;
import dev.forge.node.TestModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replays on the node's real engine with the real stories260K: the order's prompt and parameters, nothing else. */
class NodeReexecutionTest {
    @Test
    void aReplayRunsTheOrderAsOrderedOnTheModelWithItsDigest() throws Exception {
        try (var engine = engine()) {
            var replays = new NodeReexecution(() -> engine);
            byte[] digest = ModelDigest.of(TestModel.folder());
            assertFalse(replays.has(digest), "no model loaded yet");
            engine.load("stories260K", TestModel.folder());
            assertTrue(replays.has(digest));
            assertFalse(replays.has(new byte[Sha256.SIZE]), "another digest is not held");

            var replay = new Replay(12, 0, 0, List.of());
            byte[] input = ChatRequest.text("stories260K", "Once upon a time", replay).bytes();
            Reexecution.Run run = replays.run(order(digest, input, replay), input, Long.MAX_VALUE);
            String direct = engine.generate("stories260K", new GenerationRequest(new Prompt.Text("Once upon a time"), 12, 0, 0,
                    List.of()), t -> { }, () -> false).text();
            assertEquals(direct, new String(run.output(), StandardCharsets.UTF_8), "the same run as a chat with those parameters");
            assertArrayEquals(run.output(), replays.run(order(digest, input, replay), input, Long.MAX_VALUE).output(), "greedy: the same bytes again");
            assertEquals("jlama", run.engine().engine());
            assertTrue(List.of("native", "panama").contains(run.engine().kernel()), run.engine().kernel());
            assertEquals(engine.slot("stories260K").model().workingType(), run.engine().workingType());

            var long_ = new Replay(NodeReexecution.MAX_REPLAY_TOKENS + 1, 0, 0, List.of());
            byte[] longInput = ChatRequest.text("stories260K", "Once upon a time", long_).bytes();
            assertThrows(IllegalStateException.class, () -> replays.run(order(digest, longInput, long_), longInput, Long.MAX_VALUE),
                    "a long order is not replayed: the check is then inconclusive");
        }
        assertFalse(new NodeReexecution(() -> null).has(new byte[Sha256.SIZE]), "before the engine opens, nothing is held");
    }

    @Test
    void anEvalReplayRunsEveryCaseAsOrderedAndScoresItsOutputs() throws Exception {
        try (var engine = engine()) {
            engine.load("stories260K", TestModel.folder());
            var replays = new NodeReexecution(() -> engine);
            byte[] digest = ModelDigest.of(TestModel.folder());
            var eval = new EvalInput(EvalInput.Scoring.CONTAINS, 10, List.of(new EvalInput.Case("Once upon a time", " "),
                    new EvalInput.Case("The little dog", "no story has this")));
            byte[] input = eval.encode();
            var replay = new Replay(20, 0, 0, List.of());
            Reexecution.Run run = replays.run(order(WorkKind.EVAL, digest, input, replay), input, Long.MAX_VALUE);
            EvalResult result = EvalResult.decode(run.output());
            assertArrayEquals(Sha256.hash(input), result.inputDigest());
            for (int i = 0; i < 2; i++) {
                var c = eval.cases().get(i);
                var direct = engine.generate("stories260K", new GenerationRequest(new Prompt.Text(c.prompt()), 10, 0, 0, List.of()),
                        t -> { }, () -> false);
                var outcome = result.outcomes().get(i);
                assertEquals(direct.text(), outcome.output(), "case " + i + " as a text prompt of 10 tokens");
                assertEquals(direct.completionTokens(), outcome.completionTokens());
                assertEquals(direct.text().contains(c.expected()), outcome.passed());
            }
            assertEquals(result.passed() * 500_000, result.scorePpm());
            assertArrayEquals(run.output(), replays.run(order(WorkKind.EVAL, digest, input, replay), input, Long.MAX_VALUE).output(),
                    "greedy: the same result bytes again");

            var big = new EvalInput(EvalInput.Scoring.EXACT, NodeReexecution.MAX_REPLAY_TOKENS, eval.cases());
            byte[] bigInput = big.encode();
            var bigReplay = new Replay(2 * NodeReexecution.MAX_REPLAY_TOKENS, 0, 0, List.of());
            assertThrows(IllegalStateException.class, () -> replays.run(order(WorkKind.EVAL, digest, bigInput, bigReplay), bigInput, Long.MAX_VALUE),
                    "an eval of more than 512 tokens in all is not replayed");
        }
    }

    /** An engine that names its models' folders as the node's does. */
    private static InferenceEngine engine() throws Exception {
        return new InferenceEngine(Files.createTempDirectory("forge-replay"), 4, Tier.Bounds.DEFAULT, InferenceGuard.NONE,
                ModelDigest::of);
    }

    private static WorkOrder order(byte[] digest, byte[] input, Replay replay) {
        return order(WorkKind.INFERENCE_CHAT, digest, input, replay);
    }

    private static WorkOrder order(WorkKind kind, byte[] digest, byte[] input, Replay replay) {
        return new WorkOrder("buyer", "", kind, "stories260K", digest, "", Sha256.hash(input), replay, 1_000_000,
                0, new byte[16], "node:test", System.currentTimeMillis() + 600_000, WorkOrder.Signer.BUYER);
    }
}
