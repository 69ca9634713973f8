package dev.forge.node.provide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.market.Cu;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.WorkException;
import dev.forge.economy.work.WorkOrder;
import dev.forge.inference.Completion;
import dev.forge.inference.InferenceException;
import dev.forge.inference.Prompt;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One order from open to delivered: checks that it can be served here and at this price,
 * takes it, runs it by its kind (a chat with {@link ChatRunner}, an eval with {@link EvalRunner}),
 * attests, stores both bodies, holds the attestation as pending, delivers,
 * and appends it to the log once the node settled it. Each order gets one status line.
 */
final class OrderService {
    /** What became of an order. */
    enum Outcome {
        /** Seen before: nothing done. */
        SEEN,
        /** Not for this provider, or not worth its price: not taken. */
        SKIPPED,
        /** Another provider took it first. */
        LOST,
        SETTLED,
        REFUSED,
        /** Delivered, and the node did not answer: the pending attestation is resolved later. */
        UNANSWERED;

        boolean delivered() {
            return this == SETTLED || this == REFUSED || this == UNANSWERED;
        }
    }

    /** Why an order is not taken: a stable code and a sentence. */
    private record Skip(String code, String message) {
    }

    /** What a run gave, whatever the kind: the output body and the totals the attestation states. */
    private record Ran(byte[] output, int promptTokens, int completionTokens, String finishReason) {
    }

    /** An order checked and ready to run once taken. */
    @FunctionalInterface
    private interface Job {
        Ran run();
    }

    /** Either a job or why the order is not taken. */
    private record Prepared(Job job, Skip skip) {
        static Prepared ready(Job job) {
            return new Prepared(job, null);
        }

        static Prepared skip(String code, String message) {
            return new Prepared(null, new Skip(code, message));
        }
    }

    private static final int REMEMBERED = 10_000;
    private final String account;
    private final NodeLink node;
    private final ChatRunner runner;
    private final Attester attester;
    private final BodyStore store;
    private final AttestationLog log;
    private final InstantSource clock;
    private final PrintStream status;
    private final Map<Long, Boolean> seen = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    OrderService(String account, NodeLink node, ChatRunner runner, Attester attester, BodyStore store, AttestationLog log,
                 InstantSource clock, PrintStream status) {
        this.account = account;
        this.node = node;
        this.runner = runner;
        this.attester = attester;
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.status = status;
    }

    NodeLink node() {
        return node;
    }

    ChatRunner runner() {
        return runner;
    }

    Outcome serve(OpenOrder open) {
        if (seen.put(open.id(), Boolean.TRUE) != null) return Outcome.SEEN;
        WorkOrder order = open.order().order();
        Prepared prepared = common(order);
        if (prepared == null) {
            try {
                prepared = switch (order.kind()) {
                    case INFERENCE_CHAT -> chat(order, open.input());
                    case EVAL -> eval(order, open.input());
                };
            } catch (WorkException e) {
                prepared = Prepared.skip(e.code().code(), e.getMessage());
            } catch (InferenceException e) {
                prepared = Prepared.skip(e.code().code(), e.getMessage());
            }
        }
        if (prepared.skip() != null) return skipped(open.id(), prepared.skip());
        try {
            node.call("take_order", Map.of("order_id", open.id()));
        } catch (ProviderException e) {
            if (e.code().equals("node_unreachable")) seen.remove(open.id()); // not refused: worth asking again
            line(open.id(), "not taken: " + e.code() + ": " + e.getMessage());
            return Outcome.LOST;
        }
        return run(open, prepared.job());
    }

    void skipMalformed(long orderId, String message) {
        if (seen.put(orderId, Boolean.TRUE) == null) skipped(orderId, new Skip("malformed_work_record", message));
    }

    /** What every kind must be here: for this provider, this model folder's digest, not expired. Null when it is. */
    private Prepared common(WorkOrder order) {
        if (!order.openToAny() && !order.provider().equals(account)) {
            return Prepared.skip("wrong_provider", "the order is for " + order.provider());
        }
        if (order.model().isEmpty() || !Arrays.equals(order.modelDigest(), runner.modelDigest())) {
            return Prepared.skip("model_mismatch", "the order is not for this model folder's digest");
        }
        if (clock.millis() >= order.expiresAt()) return Prepared.skip("order_expired", "the order has expired");
        return null;
    }

    /** A chat: its prompt fits the context, and its worst case (prompt plus max tokens) the order's max cost. */
    private Prepared chat(WorkOrder order, byte[] input) {
        Prompt prompt = ChatRunner.prompt(ChatRequest.orderedBy(order, input));
        int promptTokens = runner.promptTokens(prompt);
        if ((long) promptTokens + order.replay().maxTokens() > runner.contextLength()) {
            return Prepared.skip("prompt_too_long", promptTokens + " prompt tokens plus " + order.replay().maxTokens()
                    + " max tokens exceed the context of " + runner.contextLength());
        }
        Skip price = price(order, promptTokens, order.replay().maxTokens());
        if (price != null) return new Prepared(null, price);
        return Prepared.ready(() -> {
            Completion completion = runner.run(prompt, order.replay());
            return new Ran(completion.text().getBytes(StandardCharsets.UTF_8), completion.promptTokens(),
                    completion.completionTokens(), ChatRunner.finishReason(completion));
        });
    }

    /** An eval: a valid input within the order's tokens, every case within the context, the worst case within the max cost. */
    private Prepared eval(WorkOrder order, byte[] input) {
        EvalInput eval;
        try {
            eval = EvalInput.decode(input);
        } catch (WorkException e) {
            return Prepared.skip("eval_input_invalid", e.getMessage());
        }
        if (eval.maxTokens() > order.replay().maxTokens()) {
            return Prepared.skip("eval_input_invalid", eval.cases().size() + " cases of " + eval.maxTokensPerCase()
                    + " tokens exceed the order's " + order.replay().maxTokens());
        }
        long promptTokens = 0;
        for (EvalInput.Case c : eval.cases()) {
            int tokens = runner.promptTokens(EvalRunner.prompt(c));
            if ((long) tokens + eval.maxTokensPerCase() > runner.contextLength()) {
                return Prepared.skip("prompt_too_long", "a case's " + tokens + " prompt tokens plus " + eval.maxTokensPerCase()
                        + " max tokens exceed the context of " + runner.contextLength());
            }
            promptTokens += tokens;
        }
        Skip price = price(order, Math.toIntExact(promptTokens), (int) eval.maxTokens());
        if (price != null) return new Prepared(null, price);
        byte[] digest = Sha256.hash(input);
        return Prepared.ready(() -> {
            var run = EvalRunner.run(eval, digest, order.replay(), runner::generate);
            return new Ran(run.output(), run.promptTokens(), run.completionTokens(), run.finishReason());
        });
    }

    private Skip price(WorkOrder order, int promptTokens, int maxTokens) {
        long worst = attester.worstCase(promptTokens, maxTokens);
        if (worst <= order.maxCost()) return null;
        return new Skip("price_above_max", "at " + Cu.format(attester.pricePerKiloToken()) + " CU per 1,000 tokens this "
                + "run may cost " + Cu.format(worst) + " CU, the order allows " + Cu.format(order.maxCost()));
    }

    private Outcome run(OpenOrder open, Job job) {
        WorkOrder order = open.order().order();
        long startedAt = clock.millis();
        Ran ran;
        try {
            ran = job.run();
        } catch (InferenceException e) {
            line(open.id(), "failed to run: " + e.code().code() + ": " + e.getMessage());
            return Outcome.REFUSED;
        } catch (WorkException e) {
            line(open.id(), "failed to run: " + e.code().code() + ": " + e.getMessage());
            return Outcome.REFUSED;
        }
        long finishedAt = Math.max(startedAt, clock.millis());
        if (finishedAt > order.expiresAt()) {
            line(open.id(), "not delivered: order_expired: the run finished after the order expired");
            return Outcome.REFUSED;
        }
        var attested = attester.attest(open.order(), ran.output(), ran.promptTokens(), ran.completionTokens(),
                ran.finishReason(), startedAt, finishedAt, log.tip());
        // Stored before delivery: the node may fetch them to check the attestation on arrival.
        store.put(open.input());
        store.put(attested.output());
        log.holdPending(open.id(), attested.attestation());
        return deliver(open.id(), attested);
    }

    private Outcome deliver(long orderId, Attester.Attested attested) {
        var base64 = Base64.getEncoder();
        SignedAttestation attestation = attested.attestation();
        JsonNode answer;
        try {
            answer = node.call("deliver", Map.of("order_id", orderId, "attestation", base64.encodeToString(attestation.encode()),
                    "output", base64.encodeToString(attested.output())));
        } catch (ProviderException e) {
            if (e.code().equals("node_unreachable")) {
                line(orderId, "delivered, no answer: " + e.getMessage() + " (asked again before the next order)");
                return Outcome.UNANSWERED;
            }
            log.dropPending();
            line(orderId, "refused: " + e.code() + ": " + e.getMessage());
            return Outcome.REFUSED;
        }
        log.append(attestation);
        var a = attestation.attestation();
        line(orderId, "settled: " + a.promptTokens() + "+" + a.completionTokens() + " tokens, " + a.finishReason() + ", paid "
                + answer.path("paid_cu").asText() + " CU, log index " + a.logIndex());
        return Outcome.SETTLED;
    }

    /**
     * Settles the question a crash or a lost answer left: was the pending attestation settled?
     * The node's order status says; settled with these bytes → appended, anything else → dropped.
     *
     * @return false while the node cannot be asked: no order is taken until the chain tip is known
     */
    boolean resolvePending() {
        var pending = log.pending();
        if (pending.isEmpty()) return true;
        long orderId = pending.get().orderId();
        JsonNode answer;
        try {
            answer = node.call("order_status", Map.of("order_id", orderId));
        } catch (ProviderException e) {
            if (e.code().equals("node_unreachable")) return false;
            log.dropPending();
            line(orderId, "pending attestation dropped: " + e.code() + ": " + e.getMessage());
            return true;
        }
        byte[] delivered = pending.get().attestation().encode();
        String settled = answer.path("attestation").asText("");
        if (answer.path("state").asText().equals("settled") && settled.equals(Base64.getEncoder().encodeToString(delivered))) {
            log.append(pending.get().attestation());
            line(orderId, "settled (found after a restart), log index " + pending.get().attestation().attestation().logIndex());
        } else {
            log.dropPending();
            line(orderId, "pending attestation dropped: the order is " + answer.path("state").asText("unknown"));
        }
        return true;
    }

    private Outcome skipped(long orderId, Skip skip) {
        line(orderId, "skipped: " + skip.code() + ": " + skip.message());
        return Outcome.SKIPPED;
    }

    private void line(long orderId, String text) {
        status.println("forge provide: order " + orderId + " " + text);
    }
}
