package dev.forge.node.mcp;

import static dev.forge.node.mcp.Schema.array;
import static dev.forge.node.mcp.Schema.anyObject;
import static dev.forge.node.mcp.Schema.cu;
import static dev.forge.node.mcp.Schema.integer;
import static dev.forge.node.mcp.Schema.object;
import static dev.forge.node.mcp.Schema.optional;
import static dev.forge.node.mcp.Schema.required;
import static dev.forge.node.mcp.Schema.string;

import dev.forge.economy.work.Check;
import dev.forge.node.ForgeNode;
import dev.forge.node.work.WorkCalls;
import dev.forge.node.work.WorkService;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The work-order tools (docs/work.md): thin adapters that read bounded arguments into
 * {@link WorkCalls} records, call {@link WorkService}, and write its answer as JSON.
 */
final class WorkTools {
    private static final int KEY_CHARS = 44;
    private static final int DIGEST_CHARS = 64;
    private final WorkService work;

    WorkTools(ForgeNode node) {
        this.work = node.work();
    }

    List<ForgeTool> tools() {
        return List.of(registerKey(), submitOrder(), openOrders(), takeOrder(), deliver(), orderStatus(), verify());
    }

    private ForgeTool registerKey() {
        return ForgeTool.named("register_key").title("Register your own signing key").idempotent()
                .description("Registers the Ed25519 public key you keep (the node never sees its private half), so that "
                        + "you can sell work (sign attestations) and sign your own orders. Answers the account that key "
                        + "gets: name it as provider in attestations and as buyer in orders you sign; it is paid for your "
                        + "work. The same key again is a no-op; another key is refused (key_exists).")
                .input(object(required("public_key", string("base64 of the 32-byte raw Ed25519 public key", KEY_CHARS)),
                        optional("bodies_url", string("http(s) URL where you serve bodies at {bodies_url}/{hex sha256}",
                                WorkService.MAX_URL_CHARS))))
                .output(object(required("account", string("the ledger account of your key")),
                        required("public_key", string("base64")), required("key_id", string("hex SHA-256 of the key")),
                        required("audience", string("this node's id, for the audience of orders you sign")),
                        optional("bodies_url", string("as registered"))))
                .handler(call -> {
                    var answer = work.registerKey(call.actor(), new WorkCalls.RegisterKey(base64(call.args(), "public_key", 32),
                            call.args().string("bodies_url", WorkService.MAX_URL_CHARS, "")));
                    return Out.of().put("account", answer.account()).put("public_key", encode(answer.publicKey()))
                            .put("key_id", answer.keyId()).put("audience", answer.audience())
                            .put("bodies_url", answer.bodiesUrl()).map();
                });
    }

    /** The offer of an agent's own work, called by {@code offer} in EconomyTools when the caller is not the operator. */
    Map<String, Object> offer(ToolCall call, ForgeNode node) {
        work.requireKey(call.actor());
        Args a = call.args();
        List<String> kinds = new ArrayList<>();
        if (a.has("kinds")) {
            for (Object kind : a.list("kinds", 2)) {
                if (!(kind instanceof String s) || s.length() > 32) throw ToolException.invalid("kinds are work kind codes");
                kinds.add(s);
            }
        }
        var offered = work.offer(call.actor(), new WorkCalls.AgentOffer(a.string("model", 64), a.string("model_digest", DIGEST_CHARS),
                a.string("tier", 16), a.cu("price_per_1k_cu"), kinds, a.integer("tokens_per_minute", 1, 1_000_000_000, 6_000)));
        var view = node.market().providers(offered.model()).stream()
                .filter(v -> v.offer().provider().equals(offered.provider())).findFirst().orElseThrow();
        Map<String, Object> out = EconomyTools.view(view);
        out.put("model_digest", offered.modelDigest());
        out.put("kinds", offered.kinds());
        return out;
    }

    private ForgeTool submitOrder() {
        return ForgeTool.named("submit_order").title("Order work").destructive()
                .description("Orders work from providers and holds its most cost plus reward from your balance until "
                        + "it is delivered (then the provider is paid what its verified attestation states and the rest "
                        + "returns) or it expires (all returns). Either give `order` (base64 forge/work-order/v1 bytes you "
                        + "signed with your registered key; its buyer is your key's account) and `input` (base64 of the "
                        + "body whose SHA-256 the order names), or describe a chat (model or tier, messages, max_tokens, "
                        + "max_cost_cu, expires_in_seconds) and the node writes and signs the order for you, within your "
                        + "budget (above your approval threshold you get approval_required, as for chat). Follow it "
                        + "with order_status.")
                .input(object(optional("order", string("base64 of your signed work order", chars(WorkService.MAX_ORDER_BYTES))),
                        optional("input", string("base64 of the input body", chars(WorkService.MAX_INPUT_BYTES))),
                        optional("model", string("a chat: the model, as providers offer it", 64)),
                        optional("tier", Schema.choice("a chat: any model of this tier", "tiny", "small", "medium", "large")),
                        optional("provider", string("a chat: the one provider account that may take it (default any)", 64)),
                        optional("messages", array("a chat: the conversation (at most " + MAX_MESSAGES + ")",
                                object(required("role", Schema.choice("who speaks", "system", "user", "assistant")),
                                        required("content", string("the text", WorkService.MAX_INPUT_BYTES))))),
                        optional("max_tokens", integer("a chat: the most tokens to generate", 1, 100_000)),
                        optional("temperature", Schema.number("a chat: 0 (greedy, default) to 2, at most 3 decimals", 0, 2)),
                        optional("seed", integer("a chat: the sampling seed (default 0)")),
                        optional("stop", array("a chat: up to 4 stop strings", string("a stop string", 64))),
                        optional("max_cost_cu", cu("a chat: the most the tokens may cost")),
                        optional("reward_cu", cu("a chat: paid on top when the work verifies (default 0)")),
                        optional("expires_in_seconds", integer("a chat: how long providers have", 1,
                                24 * 60 * 60)),
                        optional("approval_id", string("a chat above your approval threshold, once the operator "
                                + "approved it: the id approval_required gave, with the same arguments", 64))))
                .output(submitted())
                .handler(call -> {
                    Args a = call.args();
                    if (a.has("order") || a.has("input")) {
                        for (String chat : CUSTODIAL_ARGUMENTS) {
                            if (a.has(chat)) throw ToolException.invalid("give order and input, or a chat, not both (" + chat + ")");
                        }
                        return submitted(work.submitSigned(call.actor(), new WorkCalls.SubmitSigned(
                                base64(a, "order", WorkService.MAX_ORDER_BYTES), base64(a, "input", WorkService.MAX_INPUT_BYTES))));
                    }
                    return submitted(work.submitCustodial(call.actor(), custodial(a), a.string("approval_id", 64, null)));
                });
    }

    private static final int MAX_MESSAGES = 64;
    private static final List<String> CUSTODIAL_ARGUMENTS = List.of("model", "tier", "provider", "messages", "max_tokens",
            "temperature", "seed", "stop", "max_cost_cu", "reward_cu", "expires_in_seconds", "approval_id");

    private static WorkCalls.SubmitCustodial custodial(Args a) {
        List<WorkCalls.Message> messages = new ArrayList<>();
        for (Object item : a.list("messages", MAX_MESSAGES)) {
            if (!(item instanceof Map<?, ?> m) || !(m.get("role") instanceof String role) || role.length() > 16
                    || !(m.get("content") instanceof String content) || m.size() != 2) {
                throw ToolException.invalid("each message is {role, content}, both strings");
            }
            messages.add(new WorkCalls.Message(role, content));
        }
        List<String> stop = new ArrayList<>();
        if (a.has("stop")) {
            for (Object s : a.list("stop", 4)) {
                if (!(s instanceof String text)) throw ToolException.invalid("stop strings are strings");
                stop.add(text);
            }
        }
        int temperature;
        try {
            temperature = dev.forge.economy.work.Replay.temperatureMilli(a.number("temperature", 0, 2, 0));
        } catch (dev.forge.economy.work.WorkException e) {
            throw ToolException.invalid(e.getMessage());
        }
        return new WorkCalls.SubmitCustodial(a.string("model", 64, ""), a.string("tier", 16, ""), a.string("provider", 64, ""),
                messages, (int) a.integer("max_tokens", 1, 100_000, 0), temperature,
                a.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE, 0), stop, a.cu("max_cost_cu"),
                a.has("reward_cu") ? a.cu("reward_cu") : 0, a.integer("expires_in_seconds", 1, 24 * 60 * 60, 0));
    }

    static Map<String, Object> submitted() {
        return object(required("order_id", integer("the order's id in every later call")),
                required("order_digest", string("hex SHA-256 of the order's bytes and signature")),
                required("state", string("open")), required("held_cu", cu("held from your balance")),
                required("expires_at", integer("epoch ms")));
    }

    static Map<String, Object> submitted(WorkCalls.Submitted s) {
        return Out.of().put("order_id", s.orderId()).put("order_digest", s.orderDigest()).put("state", s.state())
                .cu("held_cu", s.held()).put("expires_at", s.expiresAt()).map();
    }

    private ForgeTool openOrders() {
        return ForgeTool.named("open_orders").title("Orders you can take").readOnly()
                .description("Open orders you may take as a provider (open to any, or naming your key's account), oldest "
                        + "first, each with its signed order and input body. Take one with take_order before running it.")
                .input(object(optional("model_digest", string("only orders for this model (hex)", DIGEST_CHARS)),
                        optional("limit", integer("how many", 1, WorkService.MAX_OPEN_ORDERS))))
                .output(object(required("orders", array("open orders", anyObject("order_id, order, input, expires_at")))))
                .handler(call -> {
                    Args a = call.args();
                    List<Map<String, Object>> orders = new ArrayList<>();
                    for (var o : work.openOrders(call.actor(), new WorkCalls.OpenOrdersQuery(a.string("model_digest", DIGEST_CHARS,
                            null), (int) a.integer("limit", 1, WorkService.MAX_OPEN_ORDERS, 10)))) {
                        orders.add(Out.of().put("order_id", o.orderId()).put("order", encode(o.order())).put("input", encode(o.input()))
                                .put("expires_at", o.expiresAt()).map());
                    }
                    return Out.of().put("orders", orders).map();
                });
    }

    private ForgeTool takeOrder() {
        return ForgeTool.named("take_order").title("Take an order")
                .description("Takes an open order so that you alone may deliver it; a second provider gets order_taken. "
                        + "Run it exactly as ordered (model, parameters, seed), then call deliver before it expires.")
                .input(object(required("order_id", integer("the order", 1, Long.MAX_VALUE))))
                .output(object(required("order_id", integer("the order")), required("state", string("taken")),
                        required("provider", string("your key's account"))))
                .handler(call -> {
                    var t = work.take(call.actor(), call.args().integer("order_id", 1, Long.MAX_VALUE, 0));
                    return Out.of().put("order_id", t.orderId()).put("state", t.state()).put("provider", t.provider()).map();
                });
    }

    private ForgeTool deliver() {
        return ForgeTool.named("deliver").title("Deliver work")
                .description("Delivers an order you took: the output body and your signed forge/attestation/v1 (the "
                        + "invoice). Every check runs on arrival; when all pass you are paid the attested amount plus the "
                        + "reward at once. A refusal names the first failed check's code (output_mismatch, "
                        + "amount_exceeds_order, nonce_reused, invalid_signature, order_expired, ...) and pays nothing.")
                .input(object(required("order_id", integer("the order", 1, Long.MAX_VALUE)),
                        required("attestation", string("base64 of your signed attestation", chars(WorkService.MAX_ATTESTATION_BYTES))),
                        required("output", string("base64 of the output body (a chat: its UTF-8 text)",
                                chars(WorkService.MAX_OUTPUT_BYTES)))))
                .output(object(required("order_id", integer("the order")), required("state", string("settled")),
                        required("paid_cu", cu("paid to you")), required("released_cu", cu("returned to the buyer")),
                        required("log_index", integer("the attestation's place in your log"))))
                .handler(call -> {
                    Args a = call.args();
                    var d = work.deliver(call.actor(), new WorkCalls.Deliver(a.integer("order_id", 1, Long.MAX_VALUE, 0),
                            base64(a, "attestation", WorkService.MAX_ATTESTATION_BYTES), base64(a, "output", WorkService.MAX_OUTPUT_BYTES)));
                    return Out.of().put("order_id", d.orderId()).put("state", d.state()).cu("paid_cu", d.paid())
                            .cu("released_cu", d.released()).put("log_index", d.logIndex()).map();
                });
    }

    private ForgeTool orderStatus() {
        return ForgeTool.named("order_status").title("Order status and result").readOnly()
                .description("Where an order stands (open, taken, settled or void) and, once settled, the output and "
                        + "the attestation that paid for it, with the checks of its last delivery. Only its buyer, the "
                        + "provider that took it and the operator may see it.")
                .input(object(required("order_id", integer("the order", 1, Long.MAX_VALUE))))
                .output(object(required("order_id", integer("the order")), required("state", string("open|taken|settled|void")),
                        required("buyer", string("the buyer's account")), optional("provider", string("who took it")),
                        required("held_cu", cu("held when accepted")), optional("paid_cu", cu("paid to the provider")),
                        optional("attestation", string("base64")), optional("output", string("base64")),
                        optional("checks", array("the last delivery's checks", anyObject("check, verdict, code"))),
                        required("expires_at", integer("epoch ms"))))
                .handler(call -> status(work.status(call.actor(), call.args().integer("order_id", 1, Long.MAX_VALUE, 0))));
    }

    private static Map<String, Object> status(WorkCalls.Status s) {
        Out out = Out.of().put("order_id", s.orderId()).put("state", s.state()).put("buyer", s.buyer());
        if (!s.provider().isEmpty()) out.put("provider", s.provider());
        out.cu("held_cu", s.held());
        if (s.paid() >= 0) out.cu("paid_cu", s.paid());
        if (s.attestation() != null) out.put("attestation", encode(s.attestation()));
        if (s.output() != null) out.put("output", encode(s.output()));
        if (!s.checks().isEmpty()) out.put("checks", checks(s.checks()));
        return out.put("expires_at", s.expiresAt()).map();
    }

    private static List<Map<String, Object>> checks(List<Check> checks) {
        return checks.stream().map(c -> Out.of().put("check", c.name()).put("verdict", c.verdict().name().toLowerCase(Locale.ROOT))
                .put("code", c.code()).map()).toList();
    }

    private ForgeTool verify() {
        return ForgeTool.named("verify").title("A provider's verification rate").readOnly()
                .description("How far a provider's work can be trusted: the value-weighted share of its delivered "
                        + "attestation chains that verify, with a prior for new providers, the counts, and its last "
                        + "failures with their codes. Free to call about any provider.")
                .input(object(required("provider", string("the provider's account", 64))))
                .output(object(required("provider", string("the provider")), required("rate", Schema.number("0 to 1", 0, 1)),
                        required("text", string("as people read it")), required("checked", integer("chains checked")),
                        required("passed", integer("chains that verify")), required("completed", integer("orders paid")),
                        required("failures", array("newest first", anyObject("order_id, check, code, at")))))
                .handler(call -> verifyAnswer(work.verify(call.args().string("provider", 64))));
    }

    static Map<String, Object> verifyAnswer(WorkCalls.ProviderRate r) {
        List<Map<String, Object>> failures = r.failures().stream().map(f -> Out.of().put("order_id", f.orderId())
                .put("check", f.check()).put("code", f.code()).put("at", f.at()).map()).toList();
        return Out.of().put("provider", r.provider()).put("rate", r.ratePpm() / 1e6).put("rate_ppm", r.ratePpm())
                .put("text", r.text()).put("checked", r.checked()).put("passed", r.passed()).put("completed", r.completed())
                .put("failures", failures).map();
    }

    /** Characters of padded base64 for {@code bytes} bytes. */
    private static int chars(int bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /** Standard padded base64, at most {@code maxBytes} decoded; the length is checked before decoding. */
    private static byte[] base64(Args args, String name, int maxBytes) {
        String text = args.string(name, chars(maxBytes));
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ToolException.invalid(name + " is not standard base64");
        }
        if (!encode(bytes).equals(text)) throw ToolException.invalid(name + " must be standard base64 with padding");
        if (bytes.length > maxBytes) throw ToolException.invalid(name + " is more than " + maxBytes + " bytes");
        return bytes;
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
