package dev.forge.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.forge.economy.market.Market;
import dev.forge.inference.InferenceEngine;
import dev.forge.node.app.Amount;
import dev.forge.policies.SpendPipeline;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.node.provide.ChatRunner;
import dev.forge.node.work.NodeFulfilment;
import dev.forge.economy.market.Cu;
import dev.forge.economy.market.MarketException;
import dev.forge.economy.market.ProviderView;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceException;
import dev.forge.inference.LocalModel;
import dev.forge.inference.Prompt;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import dev.forge.policies.Spend;
import dev.forge.policies.SpendAction;
import dev.forge.policies.SpendRequest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import java.util.function.Function;

/**
 * A chat is a work order the node fulfils itself, so that there is one kind of trade: the
 * safety pipeline holds its maximum cost (prompt tokens plus max tokens at the node's price
 * now), and that hold becomes the hold of an {@code inference.chat.v1} order signed with the
 * agent's custodial key, before the model runs. The engine runs it (stopping between tokens if
 * the spend is cancelled, for example by the kill switch, and the order is then voided), and the
 * real cost, counted from the tokens, is settled by the node's signed attestation, as any
 * provider's delivery is ({@link NodeFulfilment}).
 */
public final class ChatService {
    /** The most tokens one chat may ask to generate, on every surface (the MCP chat tool, OpenAI completions). */
    public static final int MAX_TOKENS = 32_768;
    /** What a chat generates at most when the caller does not say. */
    public static final int DEFAULT_MAX_TOKENS = 256;
    /** Temperatures run from 0 (the most likely text, the default) to this. */
    public static final double MAX_TEMPERATURE = 2;
    /** The longest prompt or message, in characters. */
    public static final int MAX_TEXT = 200_000;
    /** The most messages in one chat. */
    public static final int MAX_MESSAGES = 200;

    private final InferenceEngine engine;
    private final Market market;
    private final SpendPipeline pipeline;
    private final SpendGate gate;
    private final Identities identities;
    private final NodeMetrics metrics;
    private final NodeFulfilment fulfilment;

    private volatile RemoteChats remote; // null: a node alone buys nothing from others

    public ChatService(InferenceEngine engine, Market market, SpendPipeline pipeline, SpendGate gate,
                       Identities identities, NodeMetrics metrics, NodeFulfilment fulfilment) {
        this.fulfilment = fulfilment;
        this.engine = engine;
        this.market = market;
        this.pipeline = pipeline;
        this.gate = gate;
        this.identities = identities;
        this.metrics = metrics;
    }

    /** A chat as the MCP tool takes it: a prompt or messages, and the parameters that change what runs. */
    public record ChatRequest(
            @Size(min = 1, max = 64) @JsonPropertyDescription("a model this node or another grid node serves (see providers)")
            String model,
            @Nullable @Size(min = 1, max = MAX_TEXT) @JsonPropertyDescription("text for the model to continue or answer")
            String prompt,
            @Nullable @Size(max = MAX_MESSAGES) @JsonPropertyDescription("a chat instead of a prompt") List<Message> messages,
            @Nullable @Min(1) @Max(MAX_TOKENS)
            @JsonPropertyDescription("the most tokens to generate (default " + DEFAULT_MAX_TOKENS + ")") Integer maxTokens,
            @Nullable @DecimalMin("0") @DecimalMax("2") @JsonPropertyDescription("0 for the most likely text, up to 2 (default 0)")
            Double temperature,
            @Nullable @Min(0) @Max(Long.MAX_VALUE) @JsonPropertyDescription("makes sampling repeatable") Long seed,
            @Nullable @Size(min = 1, max = 64) @JsonPropertyDescription("the approval to spend, after a human approved it")
            String approvalId,
            @Nullable @jakarta.validation.constraints.Pattern(regexp = "node-[0-9a-f]{40}")
            @JsonPropertyDescription("buy from this grid node only (a node of providers' remote offers); default: "
                    + "this node if it serves the model, else the cheapest live offer") String node) {
        public int maxTokensOrDefault() {
            return maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens;
        }

        /** What the engine runs: exactly one of prompt and messages. */
        public GenerationRequest generation() {
            if ((prompt == null) == (messages == null)) throw new IllegalArgumentException("give either prompt or messages");
            Prompt text = prompt != null ? new Prompt.Text(prompt)
                    : new Prompt.Chat(chatMessages(messages), List.of());
            return new GenerationRequest(text, maxTokensOrDefault(), ChatRequests.temperature(temperature == null ? 0 : temperature),
                    seed == null ? 0 : seed, List.of());
        }
    }

    public enum Role {
        SYSTEM, USER, ASSISTANT;

        @JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Message(@JsonPropertyDescription("who speaks") Role role,
                          @Size(max = MAX_TEXT) @JsonPropertyDescription("what they say") String content) {
    }

    public record ChatAnswer(
            @JsonPropertyDescription("the model's answer") String text,
            @JsonPropertyDescription("the model") String model,
            @JsonPropertyDescription("end, stop, length or tool_call") String finishReason,
            @JsonPropertyDescription("tokens read") int promptTokens,
            @JsonPropertyDescription("tokens written") int completionTokens,
            @JsonProperty("price_per_1k_cu") @JsonPropertyDescription("price applied") Amount pricePerKiloTokenCu,
            @JsonPropertyDescription("what you paid") Amount costCu,
            @JsonPropertyDescription("your balance after") Amount balanceCu,
            @JsonPropertyDescription("the settled work order's id in the Merkle log (see trades and network)") long tradeId,
            @Nullable @JsonPropertyDescription("the grid node that served it, when this node bought it from another")
            String servedBy) {
        public static ChatAnswer of(ChatOutcome o) {
            var c = o.completion();
            return new ChatAnswer(c.text(), o.model(), c.finishReason().name().toLowerCase(java.util.Locale.ROOT),
                    c.promptTokens(), c.completionTokens(), Amount.of(o.pricePerKiloToken()), Amount.of(o.cost()),
                    Amount.of(o.balance()), o.tradeId(), o.servedBy());
        }
    }

    /** A chat of the MCP tool's form: holds its cost, runs it, and answers what it cost. */
    public ChatAnswer chat(Actor actor, ChatRequest request, Function<String, Optional<Boolean>> askHuman, Listener listener) {
        return ChatAnswer.of(open(actor, request.model(), request.generation(), request.approvalId(), askHuman,
                request.node()).run(listener));
    }

    /** A chat's messages alone, as OpenAI's completions send them; read by the same schema as the chat tool's. */
    public record Messages(@Size(max = MAX_MESSAGES) @JsonPropertyDescription("the chat") List<Message> messages) {
    }

    /** The engine's messages for a chat's. */
    public static List<ChatMessage> chatMessages(List<Message> messages) {
        return messages.stream().map(m -> message(m.role().code(), m.content())).toList();
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
        return open(actor, model, request, approvalId, askHuman, null);
    }

    /** As {@link #open(Actor, String, GenerationRequest, String, Function)}, bought from grid node {@code node} when not null. */
    public Held open(Actor actor, String model, GenerationRequest request, String approvalId,
                     Function<String, Optional<Boolean>> askHuman, String node) {
        PolicyException.require(!actor.isOperator(), Refusal.UNAUTHORIZED,
                "only an agent pays for chats; use an agent's token");
        RemoteChats buyer = remote;
        if (node != null) {
            PolicyException.require(buyer != null, Refusal.INVALID_ARGUMENT, "node names a grid node; this node is on no grid");
            return buyer.open(actor, model, request, approvalId, askHuman, node);
        }
        if (buyer != null && !serves(model) && buyer.sells(model)) {
            return buyer.open(actor, model, request, approvalId, askHuman, null);
        }
        LocalModel local = engine.slot(model).model();
        int promptTokens = local.encode(request.prompt()).length;
        InferenceException.require(promptTokens + request.maxTokens() <= local.contextLength(),
                InferenceException.Code.PROMPT_TOO_LONG, "the prompt (" + promptTokens + " tokens) plus max_tokens ("
                        + request.maxTokens() + ") exceeds " + model + "'s context of " + local.contextLength() + " tokens");
        long price = price(model);
        long maxCost = Cu.cost((long) promptTokens + request.maxTokens(), price);
        var spendRequest = new SpendRequest(actor.id(), ForgeNode.PROVIDER, SpendAction.CHAT, model, maxCost,
                UUID.randomUUID().toString(), digest(model, request));
        Spend spend = gate.open(actor, spendRequest, approvalId, askHuman);
        Ed25519.KeyPair agentKey = identities.agentKey(actor.id()).orElse(null);
        NodeFulfilment.Order order;
        try {
            PolicyException.require(agentKey != null, Refusal.UNAUTHORIZED, actor.id() + " has no key on this node");
            order = fulfilment.accept(actor.id(), agentKey, ChatRequests.of(model, request), fulfilment.modelDigest(local),
                    spend.request().amount(), spend.holdId());
        } catch (RuntimeException e) {
            pipeline.cancel(actor, spend, "the chat's order was refused: " + e.getMessage());
            PolicyException.require(!pipeline.killState().active(), Refusal.KILL_SWITCH,
                    "spending was frozen by the kill switch");
            throw e;
        }
        return new LocalHeld(actor, spend, order, local, model, request, price);
    }

    /** From now on, chats of models this node lacks are bought from the grid's live offers (docs/grid.md). */
    public void buyFrom(dev.forge.node.grid.RemoteBuyer buyer) {
        remote = new RemoteChats(buyer, pipeline, gate, metrics);
    }

    private boolean serves(String model) {
        return engine.models().stream().anyMatch(m -> m.name().equals(model));
    }

    /**
     * What an approval of a chat binds besides its cost: the hex of its canonical request digest
     * ({@code forge/chat-request/v1}, docs/ledger.md), the same digest its work order names as its input.
     */
    static String digest(String model, GenerationRequest request) {
        return HexFormat.of().formatHex(ChatRequests.of(model, request).digest());
    }

    /** A chat whose cost is held, as its order's hold, and which may now run, once. */
    public interface Held {
        ChatOutcome run(Listener listener);

        /** Gives the hold back when the chat will not run (the client went away first): the order is voided. */
        void cancel(String reason);

        /** The chat's work order on the ledger. */
        long orderId();
    }

    /** A chat of a model this node serves. */
    private final class LocalHeld implements Held {
        private final Actor actor;
        private final Spend spend;
        private final NodeFulfilment.Order order;
        private final LocalModel local;
        private final String model;
        private final GenerationRequest request;
        private final long price;

        private LocalHeld(Actor actor, Spend spend, NodeFulfilment.Order order, LocalModel local, String model,
                     GenerationRequest request, long price) {
            this.actor = actor;
            this.spend = spend;
            this.order = order;
            this.local = local;
            this.model = model;
            this.request = request;
            this.price = price;
        }

        @Override
        public ChatOutcome run(Listener listener) {
            return ChatService.this.run(this, listener);
        }

        @Override
        public void cancel(String reason) {
            pipeline.cancel(actor, spend, reason);
            fulfilment.voidOrder(order);
        }

        @Override
        public long orderId() {
            return order.id();
        }
    }

    private ChatOutcome run(LocalHeld held, Listener listener) {
        Actor actor = held.actor;
        Spend spend = held.spend;
        long started = System.nanoTime();
        long startedAt = System.currentTimeMillis();
        var cancelled = new AtomicBoolean();
        spend.onCancel(() -> cancelled.set(true));
        var tokens = new AtomicInteger();
        var clientGone = new AtomicBoolean();
        Completion completion;
        try {
            completion = engine.generate(held.model, held.request, relay(listener, tokens, clientGone),
                    () -> cancelled.get() || clientLeft(listener, clientGone));
        } catch (RuntimeException e) {
            held.cancel("inference failed: " + e.getMessage());
            throw e;
        }
        if (cancelled.get()) {
            fulfilment.voidOrder(held.order);
            throw new PolicyException(pipeline.killState().active() ? Refusal.KILL_SWITCH : Refusal.APPROVAL_DENIED,
                    "the spend was cancelled while the model ran: " + spend.cancelReason());
        }
        long cost = Cu.cost((long) completion.promptTokens() + completion.completionTokens(), held.price);
        var made = new NodeFulfilment.Run(completion.text(), completion.promptTokens(), completion.completionTokens(),
                ChatRunner.finishReason(completion), startedAt);
        SettledWork settled;
        try {
            // Refused, with nothing paid, if the kill switch was pulled after the last token.
            settled = pipeline.completeMoved(actor, spend, cost, () -> fulfilment.deliver(held.order,
                    fulfilment.modelDigest(held.local), ChatRunner.describe(held.local), made, held.price, cost));
        } catch (RuntimeException e) {
            // A chat that cannot settle is voided: its hold must not stay taken until it expires.
            fulfilment.voidOrder(held.order);
            throw e;
        }
        long balance = settled.buyerBalance(); // as of this settle: a concurrent spend does not show in it
        metrics.chat(held.model, completion.promptTokens(), completion.completionTokens(), cost,
                java.time.Duration.ofNanos(System.nanoTime() - started));
        return new ChatOutcome(held.model, completion, held.price, cost, balance, settled.id(), null);
    }

    /** The node's price for a model now: the market price of its tier, or the node's floor. */
    public long price(String model) {
        return market.providers(model).stream().filter(v -> v.offer().provider().equals(ForgeNode.PROVIDER))
                .mapToLong(ProviderView::pricePerKiloToken).findFirst()
                .orElseThrow(() -> new MarketException(MarketException.Code.NO_OFFER, "this node does not offer " + model));
    }

    /**
     * A client that hung up stops the model at the next token and pays for the tokens made so
     * far: nobody waits for the rest, and leaving early must not make what was streamed free.
     */
    /** Hands each piece to {@code listener}, counting them, until writing to the client fails: then it is gone. */
    static java.util.function.Consumer<String> relay(Listener listener, AtomicInteger pieces, AtomicBoolean clientGone) {
        return piece -> {
            if (clientGone.get()) return;
            try {
                listener.text(piece);
                listener.tokens(pieces.incrementAndGet());
            } catch (java.io.UncheckedIOException gone) {
                clientGone.set(true);
            }
        };
    }

    static boolean clientLeft(Listener listener, AtomicBoolean clientGone) {
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

    /**
     * What a chat produced and what it cost; {@code tradeId} is its settled work's id in the Merkle
     * log, {@code servedBy} the grid node it was bought from, or null when this node ran it.
     */
    public record ChatOutcome(String model, Completion completion, long pricePerKiloToken, long cost, long balance,
                              long tradeId, String servedBy) {
    }
}
