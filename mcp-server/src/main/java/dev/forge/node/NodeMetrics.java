package dev.forge.node;

import dev.forge.inference.LocalModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.time.Duration;
import java.util.Locale;

/**
 * What Prometheus scrapes at {@code /metrics} (Micrometer): tokens, trades and CU volume as they
 * happen, refusals by code, chat latency as a histogram, and, read when scraped, the price of
 * each tier, each model's queue depth and circuit breaker, the kill switch, and the ledger's size.
 */
public final class NodeMetrics {
    private final MeterRegistry registry;

    /** Counts into this registry: Quarkus' own when hosted (what {@code /metrics} shows), a private one in tests. */
    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the gauges that read the node when scraped. */
    public void register(ForgeNode node) {
        for (var tier : dev.forge.economy.market.ModelTier.values()) {
            Gauge.builder("forge_price_cu_per_1k_tokens", node, n -> n.market().pricing().get(tier.ordinal()).pricePerKiloToken() / 1e6)
                    .tag("tier", tier.name().toLowerCase(Locale.ROOT)).description("price of a tier now").register(registry);
        }
        for (LocalModel model : node.engine().models()) {
            Gauge.builder("forge_queue_depth", node, n -> n.engine().slot(model.name()).queueDepth()).tag("model", model.name())
                    .description("chats waiting for the model").register(registry);
            Gauge.builder("forge_circuit_breaker_open", node,
                            n -> n.pipeline().breakers().state(model.name()) == CircuitBreakerState.CLOSED ? 0 : 1)
                    .tag("model", model.name()).description("1 when the model's breaker is open or half-open").register(registry);
        }
        Gauge.builder("forge_kill_switch_active", node, n -> n.pipeline().killState().active() ? 1 : 0)
                .description("1 while spending is frozen").register(registry);
        Gauge.builder("forge_ledger_trades", node, n -> n.ledger().logSize()).description("entries in the Merkle log: trades and settled work").register(registry);
    }

    /** A settled chat. */
    void chat(String model, int promptTokens, int completionTokens, long costMicro, Duration took) {
        Counter.builder("forge_tokens_total").tag("model", model).tag("kind", "prompt").register(registry).increment(promptTokens);
        Counter.builder("forge_tokens_total").tag("model", model).tag("kind", "completion").register(registry)
                .increment(completionTokens);
        Counter.builder("forge_trades_total").tag("model", model).register(registry).increment();
        Counter.builder("forge_volume_cu_total").tag("model", model).description("CU paid for chats").register(registry)
                .increment(costMicro / 1e6);
        Timer.builder("forge_chat_seconds").tag("model", model).publishPercentileHistogram().description("a chat, hold to settle")
                .register(registry).record(took);
    }

    /** A refusal, by its stable code, on any surface. */
    public void refusal(String code) {
        Counter.builder("forge_refusals_total").tag("code", code).register(registry).increment();
    }
}
