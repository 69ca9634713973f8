package dev.forge.node;

import dev.forge.economy.market.TierPrice;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The tier prices sampled every few seconds, the last few hundred kept, for the operator's chart. */
public final class PriceHistory implements AutoCloseable {
    public record Point(long at, List<TierPrice> prices) {
    }

    private final Deque<Point> points = new ArrayDeque<>();
    private final int keep;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("forge-price-history").factory());

    public PriceHistory(ForgeNode node, long everyMillis, int keep) {
        this.keep = keep;
        sampler.scheduleAtFixedRate(() -> {
            try {
                add(new Point(System.currentTimeMillis(), node.market().pricing()));
            } catch (RuntimeException e) {
                System.err.println("forge: price sample failed: " + e);
            }
        }, 0, everyMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void add(Point point) {
        points.addLast(point);
        while (points.size() > keep) points.removeFirst();
    }

    public synchronized List<Point> points() {
        return new ArrayList<>(points);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
