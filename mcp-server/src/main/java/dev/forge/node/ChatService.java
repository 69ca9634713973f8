package dev.forge.node;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.Authorization;
import dev.forge.economy.ledger.Delivery;
import dev.forge.economy.ledger.SignedTrade;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.market.Cu;
import dev.forge.economy.market.MarketException;
import dev.forge.economy.market.ProviderView;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceException;
import dev.forge.inference.LocalModel;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendAction;
import dev.forge.policies.SpendRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import java.util.function.Function;

/**
 * A chat is a trade: the safety pipeline holds its maximum cost (prompt tokens plus max tokens
 * at the node's price now), the engine runs it (stopping between tokens if the spend is
 * cancelled, for example by the kill switch), and the real cost, counted from the tokens, is
 * settled as a trade that the agent's key authorized and the node's key delivered.
 */
public final class ChatService {
    /** The most tokens one chat may ask to generate, on every surface (the MCP chat tool, OpenAI completions). */
    public static final int MAX_TOKENS = 32_768;
    /** What a chat generates at most when the caller does not say. */
    public static final int DEFAULT_MAX_TOKENS = 256;
    /** Temperatures run from 0 (the most likely text, the default) to this. */
    public static final double MAX_TEMPERATURE = 2;

    private final ForgeNode node;

    public ChatService(ForgeNode node) {
        this.node = node;
    }

    /**
     * A chat's messages as every surface receives them (decoded JSON): each an object with a
     * role and a text content. Anything else is an IllegalArgumentException ({@code invalid_argument}).
     */
    public static List<ChatMessage> messages(List<?> items) {
        List<ChatMessage> messages = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> m) || !(m.get("role") instanceof String role) || !(m.get("content") instanceof String content)) {
                throw new IllegalArgumentException("each message needs a role and a text content");
            }
            messages.add(message(role, content));
        }
        return messages;
    }

    /** One message of a chat: its role is system, user or assistant, anything else is an IllegalArgumentException. */
    public static ChatMessage message(String role, String content) {
        return switch (role) {
            case "system" -> ChatMessage.system(content);
            case "user" -> ChatMessage.user(content);
            case "assistant" -> ChatMessage.assistant(content);
            default -> throw new IllegalArgumentException("a message's role is system, user or assistant, not '"
                    + (role.length() <= 64 ? role : role.substring(0, 64) + "…") + "'");
        };
    }

    /**
     * Holds a chat's cost and runs it.
     *
     * @param approvalId to resume a spend a human approved (with exactly the approved request), or null
     * @param askHuman asks the person behind the client to approve an amount (MCP elicitation):
     *     yes, no, or empty when nobody answered; null when the client cannot be asked
     * @param listener told each piece of text and how many tokens have been generated so far
     */
    public ChatOutcome chat(Actor actor, String model, GenerationRequest request, String approvalId,
                            Function<String, Optional<Boolean>> askHuman, Listener listener) {
        return open(actor, model, request, approvalId, askHuman).run(listener);
    }

    /**
     * Holds a chat's cost (or resumes its approved hold): every refusal happens here, before the
     * model runs, so that a stream can still answer it with an HTTP status.
     */
    public Held open(Actor actor, String model, GenerationRequest request, String approvalId,
                     Function<String, Optional<Boolean>> askHuman) {
        PolicyException.require(!actor.isOperator(), Refusal.UNAUTHORIZED,
                "only an agent pays for chats; use an agent's token");
        LocalModel local = node.engine().slot(model).model();
        int promptTokens = local.encode(request.prompt()).length;
        InferenceException.require(promptTokens + request.maxTokens() <= local.contextLength(),
                InferenceException.Code.PROMPT_TOO_LONG, "the prompt (" + promptTokens + " tokens) plus max_tokens ("
                        + request.maxTokens() + ") exceeds " + model + "'s context of " + local.contextLength() + " tokens");
        long price = price(model);
        long maxCost = Cu.cost((long) promptTokens + request.maxTokens(), price);
        var spendRequest = new SpendRequest(actor.id(), ForgeNode.PROVIDER, SpendAction.CHAT, model, maxCost,
                UUID.randomUUID().toString(), digest(model, request));
        Spend spend = new SpendGate(node.pipeline()).open(actor, spendRequest, approvalId, askHuman);
        return new Held(actor, spend, model, request, price);
    }

    /**
     * What an approval of a chat binds besides its cost: the hex of its canonical request digest
     * ({@code forge/chat-request/v1}, docs/ledger.md), the same digest its trade names.
     */
    static String digest(String model, GenerationRequest request) {
        return HexFormat.of().formatHex(ChatRequests.of(model, request).digest());
    }

    /** A chat whose cost is held and which may now run, once. */
    public final class Held {
        private final Actor actor;
        private final Spend spend;
        private final String model;
        private final GenerationRequest request;
        private final long price;

        private Held(Actor actor, Spend spend, String model, GenerationRequest request, long price) {
            this.actor = actor;
            this.spend = spend;
            this.model = model;
            this.request = request;
            this.price = price;
        }

        public ChatOutcome run(Listener listener) {
            return ChatService.this.run(actor, spend, model, request, price, listener);
        }

        /** Gives the hold back when the chat will not run (the client went away first). */
        public void cancel(String reason) {
            node.pipeline().cancel(actor, spend, reason);
        }
    }

    private ChatOutcome run(Actor actor, Spend spend, String model, GenerationRequest request, long price, Listener listener) {
        long started = System.nanoTime();
        var cancelled = new AtomicBoolean();
        spend.onCancel(() -> cancelled.set(true));
        var tokens = new AtomicInteger();
        var clientGone = new AtomicBoolean();
        Completion completion;
        try {
            completion = node.engine().generate(model, request, piece -> {
                if (clientGone.get()) return;
                try {
                    listener.text(piece);
                    listener.tokens(tokens.incrementAndGet());
                } catch (java.io.UncheckedIOException gone) {
                    clientGone.set(true);
                }
            }, () -> cancelled.get() || clientLeft(listener, clientGone));
        } catch (RuntimeException e) {
            node.pipeline().cancel(actor, spend, "inference failed: " + e.getMessage());
            throw e;
        }
        PolicyException.require(!cancelled.get(), node.pipeline().killState().active() ? Refusal.KILL_SWITCH
                : Refusal.APPROVAL_DENIED, "the spend was cancelled while the model ran: " + spend.cancelReason());
        long cost = Cu.cost((long) completion.promptTokens() + completion.completionTokens(), price);
        Trade trade;
        try {
            trade = node.pipeline().settle(actor, spend, sign(actor.id(), spend, model, request, completion, price, cost));
        } catch (RuntimeException e) {
            // A spend that cannot settle must not stay active: that would keep its budget reserved until a restart.
            node.pipeline().cancel(actor, spend, "the trade could not settle: " + e.getMessage());
            throw e;
        }
        long balance = trade.consumerBalance(); // as of this settle: a concurrent spend does not show in it
        NodeMetrics.chat(model, completion.promptTokens(), completion.completionTokens(), cost,
                java.time.Duration.ofNanos(System.nanoTime() - started));
        return new ChatOutcome(model, completion, price, cost, balance, trade.id());
    }

    private SignedTrade sign(String agent, Spend spend, String model, GenerationRequest request, Completion completion,
                             long price, long cost) {
        Ed25519.KeyPair agentKey = node.identities().agentKey(agent).orElseThrow(() -> new PolicyException(
                Refusal.UNAUTHORIZED, agent + " has no key on this node"));
        long now = System.currentTimeMillis();
        var authorization = new Authorization(agent, ForgeNode.PROVIDER, model, spend.request().amount(),
                ChatRequests.of(model, request).digest(), spend.holdId(), now + 10 * 60_000);
        byte[] consumerSignature = SignedTrade.authorize(authorization, agentKey);
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, consumerSignature),
                completion.promptTokens(), completion.completionTokens(), price, cost,
                Sha256.hash(completion.text().getBytes(StandardCharsets.UTF_8)), now);
        return SignedTrade.deliver(authorization, consumerSignature, delivery, node.identities().nodeKey());
    }

    /** The node's price for a model now: the market price of its tier, or the node's floor. */
    public long price(String model) {
        return node.market().providers(model).stream().filter(v -> v.offer().provider().equals(ForgeNode.PROVIDER))
                .mapToLong(ProviderView::pricePerKiloToken).findFirst()
                .orElseThrow(() -> new MarketException(MarketException.Code.NO_OFFER, "this node does not offer " + model));
    }

    /**
     * A client that hung up stops the model at the next token and pays for the tokens made so
     * far: nobody waits for the rest, and leaving early must not make what was streamed free.
     */
    private static boolean clientLeft(Listener listener, AtomicBoolean clientGone) {
        if (!clientGone.get() && listener.clientGone()) clientGone.set(true);
        return clientGone.get();
    }

    /** Hears a chat as it is generated: its text, piece by piece, and how many pieces so far. */
    public interface Listener {
        Listener NONE = new Listener() { };

        /** Whether the one who asked has hung up; checked between tokens. */
        default boolean clientGone() {
            return false;
        }

        default void text(String piece) {
        }

        default void tokens(int generated) {
        }
    }

    /** What a chat produced and what it cost. */
    public record ChatOutcome(String model, Completion completion, long pricePerKiloToken, long cost, long balance,
                              long tradeId) {
    }
}
