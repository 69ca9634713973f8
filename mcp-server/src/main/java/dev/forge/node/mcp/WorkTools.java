package dev.forge.node.mcp;

import dev.forge.node.app.CallRefused;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.work.Check;
import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.Replay;
import dev.forge.economy.work.WorkException;
import dev.forge.node.app.Amount;
import dev.forge.node.app.MarketService;
import dev.forge.node.work.WorkCalls;
import dev.forge.node.work.WorkService;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The work-order tools (docs/work.md): adapters that turn their records' base64 and CU text into
 * {@link WorkCalls} records, call {@link WorkService}, and answer its result as records.
 */
final class WorkTools {
    private static final int MAX_MESSAGES = 64;
    private static final String HEX_DIGEST = "[0-9a-f]{64}";
    private static final String TIER = "tiny|small|medium|large";
    private final WorkService work;
    private final MarketService market;

    WorkTools(WorkService work, MarketService market) {
        this.work = work;
        this.market = market;
    }

    List<ForgeTool> tools() {
        return List.of(registerKey(), submitOrder(), submitEval(), openOrders(), takeOrder(), deliver(), orderStatus(), verify());
    }

    public record RegisterKeyRequest(
            @Size(min = 1, max = 44) @JsonPropertyDescription("base64 of the 32-byte raw Ed25519 public key") String publicKey,
            @Nullable @Size(min = 1, max = WorkService.MAX_URL_CHARS)
            @JsonPropertyDescription("http(s) URL where you serve bodies at {bodies_url}/{hex sha256}") String bodiesUrl,
            @Nullable @Size(min = 1, max = 88)
            @JsonPropertyDescription("base64 of your key's Ed25519 signature over forge/key-proof/v1 (docs/work.md); "
                    + "required: missing or wrong is key_proof_invalid") String proof) {
    }

    public record KeyRegistered(
            @JsonPropertyDescription("the ledger account of your key") String account,
            @JsonPropertyDescription("base64") String publicKey,
            @JsonPropertyDescription("hex SHA-256 of the key") String keyId,
            @JsonPropertyDescription("this node's id, for the audience of orders you sign") String audience,
            @Nullable @JsonPropertyDescription("as registered") String bodiesUrl) {
    }

    private ForgeTool registerKey() {
        return ForgeTool.named("register_key").title("Register your own signing key").idempotent()
                .description("Registers the Ed25519 public key you keep (the node never sees its private half), so that "
                        + "you can sell work (sign attestations) and sign your own orders. Prove you hold it: proof is its "
                        + "signature over forge/key-proof/v1 (your agent id and this node's id, both from balance: account "
                        + "and node_audience; the key; bodies_url or \"\"). Answers the account that key gets: name it as "
                        + "provider in attestations and as buyer in orders you sign; it is paid for your work (see balance, "
                        + "move_funds). The same key again is a no-op; another key is refused (key_exists).")
                .handles(RegisterKeyRequest.class, KeyRegistered.class, (call, request) -> {
                    var answer = work.registerKey(call.actor(), new WorkCalls.RegisterKey(decode("public_key", request.publicKey(), 32),
                            request.bodiesUrl() == null ? "" : request.bodiesUrl(), proof(request.proof())));
                    return new KeyRegistered(answer.account(), encode(answer.publicKey()), answer.keyId(), answer.audience(),
                            answer.bodiesUrl().isEmpty() ? null : answer.bodiesUrl());
                });
    }

    /** An agent's offer of its own work, for {@code offer} when the caller is not the operator. */
    MarketService.ProviderOffer offer(dev.forge.policies.Actor actor, MarketService.OfferRequest request) {
        work.requireKey(actor);
        if (request.priceFloorCu() != null) throw CallRefused.invalid("price_floor_cu is the operator's; an agent names price_per_1k_cu");
        if (request.modelDigest() == null || request.tier() == null || request.pricePerKiloTokenCu() == null) {
            throw CallRefused.invalid("an agent's offer names model_digest, tier and price_per_1k_cu");
        }
        var offered = work.offer(actor, new WorkCalls.AgentOffer(request.model(), request.modelDigest(), request.tier(),
                request.pricePerKiloTokenCu().positive("price_per_1k_cu"), request.kinds() == null ? List.of() : request.kinds(),
                request.tokensPerMinute() == null ? 6_000 : request.tokensPerMinute()));
        return market.providerOffer(offered.provider(), offered.model()).withWork(offered.modelDigest(), offered.kinds());
    }

    public record Message(@Pattern(regexp = "system|user|assistant") @JsonPropertyDescription("who speaks") String role,
                          @Size(max = WorkService.MAX_INPUT_BYTES) @JsonPropertyDescription("the text") String content) {
    }

    public record SubmitOrderRequest(
            @Nullable @Size(min = 4, max = (WorkService.MAX_ORDER_BYTES + 2) / 3 * 4)
            @JsonPropertyDescription("base64 of your signed work order") String order,
            @Nullable @Size(min = 4, max = (WorkService.MAX_INPUT_BYTES + 2) / 3 * 4)
            @JsonPropertyDescription("base64 of the input body") String input,
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("a chat: the model, as providers offer it") String model,
            @Nullable @Pattern(regexp = TIER) @JsonPropertyDescription("a chat: any model of this tier") String tier,
            @Nullable @Size(min = 1, max = 64)
            @JsonPropertyDescription("a chat: the one provider account that may take it (default any)") String provider,
            @Nullable @Size(min = 1, max = MAX_MESSAGES) @JsonPropertyDescription("a chat: the conversation") List<Message> messages,
            @Nullable @Min(1) @Max(100_000) @JsonPropertyDescription("a chat: the most tokens to generate") Integer maxTokens,
            @Nullable @DecimalMin("0") @DecimalMax("2")
            @JsonPropertyDescription("a chat: 0 (greedy, default) to 2, at most 3 decimals") Double temperature,
            @Nullable @JsonPropertyDescription("a chat: the sampling seed (default 0)") Long seed,
            @Nullable @Size(max = Replay.MAX_STOPS) @JsonPropertyDescription("a chat: stop strings")
            List<@Size(max = Replay.MAX_STOP_BYTES) String> stop,
            @Nullable @JsonPropertyDescription("a chat: the most the tokens may cost") Amount maxCostCu,
            @Nullable @JsonPropertyDescription("a chat: paid on top when the work verifies (default 0)") Amount rewardCu,
            @Nullable @Min(1) @Max(24 * 60 * 60) @JsonPropertyDescription("a chat: how long providers have") Long expiresInSeconds,
            @Nullable @Size(min = 1, max = 64)
            @JsonPropertyDescription("an order above your approval threshold, once approved: the id approval_required gave")
            String approvalId) {

        boolean signed() {
            return order != null || input != null;
        }

        boolean describesAChat() {
            return model != null || tier != null || provider != null || messages != null || maxTokens != null
                    || temperature != null || seed != null || stop != null || maxCostCu != null || rewardCu != null
                    || expiresInSeconds != null;
        }
    }

    public record Submitted(
            @JsonPropertyDescription("the order's id in every later call") long orderId,
            @JsonPropertyDescription("hex SHA-256 of the order's bytes and signature") String orderDigest,
            @JsonPropertyDescription("open") String state,
            @JsonPropertyDescription("held from your balance") Amount heldCu,
            @JsonPropertyDescription("epoch ms") long expiresAt) {
        static Submitted of(WorkCalls.Submitted s) {
            return new Submitted(s.orderId(), s.orderDigest(), s.state(), Amount.of(s.held()), s.expiresAt());
        }
    }

    private ForgeTool submitOrder() {
        return ForgeTool.named("submit_order").title("Order work").destructive()
                .description("Orders work from providers and holds its most cost plus reward from your balance until "
                        + "it is delivered (then the provider is paid what its verified attestation states and the rest "
                        + "returns) or it expires (all returns). Either give `order` (base64 forge/work-order/v1 bytes you "
                        + "signed with your registered key; its buyer is your key's account) and `input` (base64 of the "
                        + "body whose SHA-256 the order names; it is held on your key's account), or describe a chat "
                        + "(model or tier, messages, max_tokens, max_cost_cu, expires_in_seconds) and the node writes and "
                        + "signs the order for you. Either way within your budget: above your approval threshold you get "
                        + "approval_required, as for chat; call again with approval_id once approved. Follow it with "
                        + "order_status.")
                .handles(SubmitOrderRequest.class, Submitted.class, (call, request) -> Submitted.of(submit(call, request)));
    }

    private WorkCalls.Submitted submit(ToolCall call, SubmitOrderRequest request) {
        if (request.signed()) {
            if (request.describesAChat()) throw CallRefused.invalid("give order and input, or a chat, not both");
            if (request.order() == null || request.input() == null) throw CallRefused.invalid("a signed order needs order and input");
            return work.submitSigned(call.actor(), new WorkCalls.SubmitSigned(decode("order", request.order(), WorkService.MAX_ORDER_BYTES),
                    decode("input", request.input(), WorkService.MAX_INPUT_BYTES)), request.approvalId());
        }
        if (request.messages() == null || request.maxCostCu() == null) {
            throw CallRefused.invalid("a chat order needs messages and max_cost_cu");
        }
        var messages = request.messages().stream().map(m -> new WorkCalls.Message(m.role(), m.content())).toList();
        var custodial = new WorkCalls.SubmitCustodial(orEmpty(request.model()), orEmpty(request.tier()), orEmpty(request.provider()),
                messages, request.maxTokens() == null ? 0 : request.maxTokens(), temperatureMilli(request.temperature()),
                request.seed() == null ? 0 : request.seed(), request.stop() == null ? List.of() : request.stop(),
                request.maxCostCu().positive("max_cost_cu"), Amount.orZero(request.rewardCu(), "reward_cu"),
                request.expiresInSeconds() == null ? 0 : request.expiresInSeconds());
        return work.submitCustodial(call.actor(), custodial, request.approvalId());
    }

    public record EvalPrompt(
            @Size(min = 1, max = EvalInput.MAX_PROMPT_BYTES) @JsonPropertyDescription("the whole prompt, run as text") String prompt,
            @Size(min = 1, max = EvalInput.MAX_EXPECTED_BYTES)
            @JsonPropertyDescription("the answer that scores the output") String expected) {
    }

    public record SubmitEvalRequest(
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("the model, as providers offer it") String model,
            @Nullable @Pattern(regexp = TIER) @JsonPropertyDescription("any model of this tier") String tier,
            @Nullable @Size(min = 1, max = 64)
            @JsonPropertyDescription("the one provider account that may take it (default any)") String provider,
            @Size(min = 1, max = EvalInput.MAX_CASES) @JsonPropertyDescription("the cases, run in this order") List<EvalPrompt> prompts,
            @Nullable @Pattern(regexp = "exact|contains")
            @JsonPropertyDescription("exact: the output equals expected; contains (default): it contains expected") String scoring,
            @Min(1) @Max(100_000) @JsonPropertyDescription("the most tokens to generate for each prompt") int maxTokensPerPrompt,
            @Nullable @DecimalMin("0") @DecimalMax("2")
            @JsonPropertyDescription("0 (greedy, default) to 2, at most 3 decimals") Double temperature,
            @Nullable @JsonPropertyDescription("the sampling seed of every prompt (default 0)") Long seed,
            @Nullable @Size(max = Replay.MAX_STOPS) @JsonPropertyDescription("stop strings")
            List<@Size(max = Replay.MAX_STOP_BYTES) String> stop,
            @JsonPropertyDescription("the most the tokens may cost") Amount maxCostCu,
            @Nullable @JsonPropertyDescription("paid on top when the work verifies (default 0)") Amount rewardCu,
            @Min(1) @Max(24 * 60 * 60) @JsonPropertyDescription("how long providers have") long expiresInSeconds,
            @Nullable @Size(min = 1, max = 64)
            @JsonPropertyDescription("an eval above your approval threshold, once approved: the id approval_required gave")
            String approvalId) {
    }

    private ForgeTool submitEval() {
        return ForgeTool.named("submit_eval").title("Order an eval").destructive()
                .description("Orders an eval (work kind eval.v1): a provider runs each prompt against the model and "
                        + "attests every output's digest and the score, the share of prompts whose output matches its "
                        + "expected answer (exact, or contains). The node writes the forge/eval-input/v1 body, signs the "
                        + "order for you and holds its most cost plus reward, as submit_order does for a chat (within your "
                        + "budget; above your approval threshold you get approval_required). The node recomputes the score "
                        + "from the outputs before it pays. Follow it with order_status: its output is the "
                        + "forge/eval-result/v1 bytes. To sign an eval order yourself, use submit_order.")
                .handles(SubmitEvalRequest.class, Submitted.class, (call, request) -> Submitted.of(work.submitEval(call.actor(),
                        evalCall(request), request.approvalId())));
    }

    private static WorkCalls.SubmitEval evalCall(SubmitEvalRequest request) {
        if (request.prompts() == null || request.maxCostCu() == null) throw CallRefused.invalid("an eval needs prompts and max_cost_cu");
        var cases = request.prompts().stream().map(p -> new WorkCalls.EvalCase(p.prompt(), p.expected())).toList();
        return new WorkCalls.SubmitEval(orEmpty(request.model()), orEmpty(request.tier()), orEmpty(request.provider()),
                request.scoring() == null ? "contains" : request.scoring(), request.maxTokensPerPrompt(), cases,
                temperatureMilli(request.temperature()), request.seed() == null ? 0 : request.seed(),
                request.stop() == null ? List.of() : request.stop(), request.maxCostCu().positive("max_cost_cu"),
                Amount.orZero(request.rewardCu(), "reward_cu"), request.expiresInSeconds());
    }

    private static int temperatureMilli(Double temperature) {
        try {
            return Replay.temperatureMilli(temperature == null ? 0 : temperature);
        } catch (WorkException e) {
            throw CallRefused.invalid(e.getMessage());
        }
    }

    public record OpenOrdersRequest(
            @Nullable @Pattern(regexp = HEX_DIGEST) @JsonPropertyDescription("only orders for this model (hex)") String modelDigest,
            @Nullable @Min(1) @Max(WorkService.MAX_OPEN_ORDERS) @JsonPropertyDescription("how many (default 10)") Integer limit) {
    }

    public record OpenOrder(
            @JsonPropertyDescription("the order") long orderId,
            @JsonPropertyDescription("base64 of the signed order") String order,
            @JsonPropertyDescription("base64 of the input body") String input,
            @JsonPropertyDescription("epoch ms") long expiresAt) {
    }

    public record OpenOrders(@JsonPropertyDescription("open orders you may take, oldest first") List<OpenOrder> orders) {
    }

    private ForgeTool openOrders() {
        return ForgeTool.named("open_orders").title("Orders you can take").readOnly()
                .description("Open orders you may take as a provider (open to any, or naming your key's account), oldest "
                        + "first, each with its signed order and input body. Take one with take_order before running it.")
                .handles(OpenOrdersRequest.class, OpenOrders.class, (call, request) -> new OpenOrders(work.openOrders(call.actor(),
                        new WorkCalls.OpenOrdersQuery(request.modelDigest(), request.limit() == null ? 10 : request.limit()))
                        .stream().map(o -> new OpenOrder(o.orderId(), encode(o.order()), encode(o.input()), o.expiresAt())).toList()));
    }

    public record OrderRequest(@Min(1) @JsonPropertyDescription("the order") long orderId) {
    }

    public record Taken(
            @JsonPropertyDescription("the order") long orderId,
            @JsonPropertyDescription("taken") String state,
            @JsonPropertyDescription("your key's account") String provider) {
    }

    private ForgeTool takeOrder() {
        return ForgeTool.named("take_order").title("Take an order")
                .description("Takes an open order so that you alone may deliver it; a second provider gets order_taken. "
                        + "Run it exactly as ordered (model, parameters, seed), then call deliver before it expires.")
                .handles(OrderRequest.class, Taken.class, (call, request) -> {
                    var taken = work.take(call.actor(), request.orderId());
                    return new Taken(taken.orderId(), taken.state(), taken.provider());
                });
    }

    public record DeliverRequest(
            @Min(1) @JsonPropertyDescription("the order") long orderId,
            @Size(min = 4, max = (WorkService.MAX_ATTESTATION_BYTES + 2) / 3 * 4)
            @JsonPropertyDescription("base64 of your signed attestation") String attestation,
            @Size(min = 4, max = (WorkService.MAX_OUTPUT_BYTES + 2) / 3 * 4)
            @JsonPropertyDescription("base64 of the output body (a chat: its UTF-8 text)") String output) {
    }

    public record Delivered(
            @JsonPropertyDescription("the order") long orderId,
            @JsonPropertyDescription("settled") String state,
            @JsonPropertyDescription("paid to you") Amount paidCu,
            @JsonPropertyDescription("returned to the buyer") Amount releasedCu,
            @JsonPropertyDescription("the attestation's place in your log") long logIndex) {
    }

    private ForgeTool deliver() {
        return ForgeTool.named("deliver").title("Deliver work")
                .description("Delivers an order you took: the output body and your signed forge/attestation/v1 (the "
                        + "invoice). Every check runs on arrival; when all pass you are paid the attested amount plus the "
                        + "reward at once. A refusal names the first failed check's code (output_mismatch, "
                        + "amount_exceeds_order, nonce_reused, invalid_signature, order_expired, ...) and pays nothing.")
                .handles(DeliverRequest.class, Delivered.class, (call, request) -> {
                    var d = work.deliver(call.actor(), new WorkCalls.Deliver(request.orderId(),
                            decode("attestation", request.attestation(), WorkService.MAX_ATTESTATION_BYTES),
                            decode("output", request.output(), WorkService.MAX_OUTPUT_BYTES)));
                    return new Delivered(d.orderId(), d.state(), Amount.of(d.paid()), Amount.of(d.released()), d.logIndex());
                });
    }

    public record CheckView(
            @JsonPropertyDescription("the check's name") String check,
            @Pattern(regexp = "pass|fail|inconclusive") @JsonPropertyDescription("pass, fail or inconclusive") String verdict,
            @JsonPropertyDescription("its stable code") String code) {
        static CheckView of(Check c) {
            return new CheckView(c.name(), c.verdict().name().toLowerCase(Locale.ROOT), c.code());
        }
    }

    public record OrderStatus(
            @JsonPropertyDescription("the order") long orderId,
            @Pattern(regexp = "open|taken|settled|void") @JsonPropertyDescription("open, taken, settled or void") String state,
            @JsonPropertyDescription("the buyer's account") String buyer,
            @Nullable @JsonPropertyDescription("who took it") String provider,
            @JsonPropertyDescription("held when accepted") Amount heldCu,
            @Nullable @JsonPropertyDescription("paid to the provider") Amount paidCu,
            @Nullable @JsonPropertyDescription("base64 of the attestation that paid") String attestation,
            @Nullable @JsonPropertyDescription("base64 of the output") String output,
            @Nullable @JsonPropertyDescription("the last delivery's checks") List<CheckView> checks,
            @JsonPropertyDescription("epoch ms") long expiresAt) {
        static OrderStatus of(WorkCalls.Status s) {
            return new OrderStatus(s.orderId(), s.state(), s.buyer(), s.provider().isEmpty() ? null : s.provider(),
                    Amount.of(s.held()), s.paid() >= 0 ? Amount.of(s.paid()) : null,
                    s.attestation() == null ? null : encode(s.attestation()), s.output() == null ? null : encode(s.output()),
                    s.checks().isEmpty() ? null : s.checks().stream().map(CheckView::of).toList(), s.expiresAt());
        }
    }

    private ForgeTool orderStatus() {
        return ForgeTool.named("order_status").title("Order status and result").readOnly()
                .description("Where an order stands (open, taken, settled or void) and, once settled, the output and "
                        + "the attestation that paid for it, with the checks of its last delivery. Only its buyer, the "
                        + "provider that took it and the operator may see it.")
                .handles(OrderRequest.class, OrderStatus.class,
                        (call, request) -> OrderStatus.of(work.status(call.actor(), request.orderId())));
    }

    public record VerifyRequest(@Size(min = 1, max = 64) @JsonPropertyDescription("the provider's account") String provider) {
    }

    public record FailureView(
            @JsonPropertyDescription("the order") long orderId,
            @JsonPropertyDescription("the chain's place in the provider's log; -1 for a delivery refused on arrival") long logIndex,
            @JsonPropertyDescription("the check that failed") String check,
            @JsonPropertyDescription("its stable code") String code,
            @JsonPropertyDescription("why, in a sentence") String reason,
            @JsonPropertyDescription("epoch ms") long at) {
    }

    public record ProviderRate(
            @JsonPropertyDescription("the provider") String provider,
            @DecimalMin("0") @DecimalMax("1") @JsonPropertyDescription("0 to 1") double rate,
            @Min(0) @Max(1_000_000) @JsonPropertyDescription("the same rate in parts per million, exact") long ratePpm,
            @JsonPropertyDescription("as people read it") String text,
            @JsonPropertyDescription("chains checked") long checked,
            @JsonPropertyDescription("chains that verify") long passed,
            @JsonPropertyDescription("orders paid") long completed,
            @JsonPropertyDescription("newest first") List<FailureView> failures) {
        static ProviderRate of(WorkCalls.ProviderRate r) {
            return new ProviderRate(r.provider(), r.ratePpm() / 1e6, r.ratePpm(), r.text(), r.checked(), r.passed(), r.completed(),
                    r.failures().stream().map(f -> new FailureView(f.orderId(), f.logIndex(), f.check(), f.code(), f.reason(), f.at()))
                            .toList());
        }
    }

    private ForgeTool verify() {
        return ForgeTool.named("verify").title("A provider's verification rate").readOnly()
                .description("How far a provider's work can be trusted: the value-weighted share of its delivered "
                        + "attestation chains that verify now (re-checked live: bodies, log, sampled re-runs), with a prior "
                        + "for new providers, the counts, and its last failures with their reasons. Free to call about any provider.")
                .handles(VerifyRequest.class, ProviderRate.class, (call, request) -> ProviderRate.of(work.verify(request.provider())));
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    /** The proof's bytes, or null when it is missing or not standard padded base64: the service refuses either. */
    private static byte[] proof(String text) {
        if (text == null) return null;
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return encode(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Standard padded base64, at most {@code maxBytes} decoded. */
    private static byte[] decode(String name, String text, int maxBytes) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw CallRefused.invalid(name + " is not standard base64");
        }
        if (!encode(bytes).equals(text)) throw CallRefused.invalid(name + " must be standard base64 with padding");
        if (bytes.length > maxBytes) throw CallRefused.invalid(name + " is more than " + maxBytes + " bytes");
        return bytes;
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
