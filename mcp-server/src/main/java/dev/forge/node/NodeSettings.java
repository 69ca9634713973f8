package dev.forge.node;

import dev.forge.inference.Tier;
import dev.forge.node.grid.GridOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a node runs.
 *
 * @param models catalog names or model folders, each served under its catalog name or folder name
 * @param modelsRoot where catalog models are downloaded
 * @param tokensPerMinute the capacity each model offers the market
 * @param queue how many chats may wait per model
 * @param grid the grid the node joins ({@code forge node --grid}); empty: the node works alone
 */
public record NodeSettings(Path data, List<String> models, Path modelsRoot, Tier.Bounds tiers, long tokensPerMinute,
                           int queue, Duration verifyPeriod, Optional<GridOptions> grid) {
    /** How often providers' chains are re-checked live ({@code forge.verify.period}). */
    public static final Duration DEFAULT_VERIFY_PERIOD = Duration.ofSeconds(60);

    public NodeSettings {
        models = List.copyOf(models);
        java.util.Objects.requireNonNull(grid, "grid is empty, not null, for a node alone");
        if (tokensPerMinute < 1 || queue < 0) throw new IllegalArgumentException("capacity and queue out of range");
        if (verifyPeriod.toMillis() < 1_000 || verifyPeriod.toDays() > 1) {
            throw new IllegalArgumentException("forge.verify.period must be 1 s to 1 day");
        }
    }

    public static NodeSettings of(Path data, List<String> models) {
        return new NodeSettings(data, models, dev.forge.inference.ModelStore.defaultRoot(), Tier.Bounds.DEFAULT, 6_000, 16,
                DEFAULT_VERIFY_PERIOD, Optional.empty());
    }

    public NodeSettings withTiers(Tier.Bounds bounds) {
        return new NodeSettings(data, models, modelsRoot, bounds, tokensPerMinute, queue, verifyPeriod, grid);
    }

    public NodeSettings withVerifyPeriod(Duration period) {
        return new NodeSettings(data, models, modelsRoot, tiers, tokensPerMinute, queue, period, grid);
    }

    public NodeSettings withGrid(GridOptions options) {
        return new NodeSettings(data, models, modelsRoot, tiers, tokensPerMinute, queue, verifyPeriod, Optional.of(options));
    }
}
